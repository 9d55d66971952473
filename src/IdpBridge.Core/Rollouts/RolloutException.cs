using System.Text.Json;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// A rollout cannot start or go on, for a reason an administrator can fix: a <see cref="Refusal"/> code and its
/// <see cref="Facts"/>, which the CLI and the admin API render (each with its own advice). The message is the code
/// and the facts, for logs.
/// </summary>
public sealed class RolloutException(RolloutRefusal refusal, RolloutRefusalFacts facts, Exception? innerException = null)
    : Exception(Describe(refusal, facts), innerException)
{
    /// <summary>Why.</summary>
    public RolloutRefusal Refusal { get; } = refusal;

    /// <summary>What it is about (realm, policy, version...).</summary>
    public RolloutRefusalFacts Facts { get; } = facts;

    /// <summary>The code as JSON writes it: <c>terms_action_disabled</c>.</summary>
    public string Code => CodeOf(Refusal);

    /// <summary><paramref name="refusal"/> as JSON writes it: <c>terms_action_disabled</c>.</summary>
    public static string CodeOf(RolloutRefusal refusal) => JsonNamingPolicy.SnakeCaseLower.ConvertName(refusal.ToString());

    private static string Describe(RolloutRefusal refusal, RolloutRefusalFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return $"Rollout refused ({CodeOf(refusal)}): {JsonSerializer.Serialize(facts, IdpBridgeJson.TypeInfo<RolloutRefusalFacts>())}";
    }
}
