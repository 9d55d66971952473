namespace IdpBridge.Core.Policies;

/// <summary>
/// The one spelling of each <see cref="PolicyVersionKind"/> as a word (front matter, command line, JSON, the store,
/// Keycloak's realm): <c>material</c>, <c>minor</c>, <c>notice</c>.
/// </summary>
public static class PolicyVersionKinds
{
    /// <summary>Every kind's word, in the order people are told of them.</summary>
    public static readonly IReadOnlyList<string> Names = ["material", "minor", "notice"];

    /// <summary>What each kind asks of users, for messages that list the choices.</summary>
    public const string Choices = "material (everyone accepts again), minor (nobody is asked) or notice (everyone is told once, with a single continue)";

    /// <summary>The kind's word.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined kind.</exception>
    public static string Name(this PolicyVersionKind kind) => kind switch
    {
        PolicyVersionKind.Material => "material",
        PolicyVersionKind.Minor => "minor",
        PolicyVersionKind.Notice => "notice",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown policy version kind."),
    };

    /// <summary>Reads a kind's word (exactly as <see cref="Names"/> spells it, any case).</summary>
    /// <param name="text">The word.</param>
    /// <param name="kind">The kind when known.</param>
    /// <returns>Whether <paramref name="text"/> names a kind.</returns>
    public static bool TryParse(string? text, out PolicyVersionKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "material":
                kind = PolicyVersionKind.Material;
                return true;
            case "minor":
                kind = PolicyVersionKind.Minor;
                return true;
            case "notice":
                kind = PolicyVersionKind.Notice;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>Whether users are asked anything at their next login (a material version or a notice).</summary>
    public static bool AsksUsers(this PolicyVersionKind kind) => kind is PolicyVersionKind.Material or PolicyVersionKind.Notice;
}
