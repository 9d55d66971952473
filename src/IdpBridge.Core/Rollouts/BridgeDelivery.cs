using IdpBridge.Core.Policies;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// What a rollout start did in a realm that uses IdpBridge's required-action bridge: it wrote no user, and made sure
/// the realm's attributes say which version is in force; the bridge asks each user at their next login.
/// </summary>
/// <param name="Realm">The realm.</param>
/// <param name="Policy">The policy.</param>
/// <param name="VersionNumber">The version the start was asked for.</param>
/// <param name="Kind">Its kind (material or notice).</param>
/// <param name="VersionInForce">The newest version in force, as the realm's attributes now say.</param>
/// <param name="MaterialVersion">The newest material version in force: users who accepted an older one are asked.</param>
/// <param name="NoticeVersion">The newest notice in force (0: none): shown once to users who have not seen it.</param>
/// <param name="AttributesWritten">The realm attributes that changed; empty when they were already current.</param>
public sealed record BridgeDelivery(
    string Realm,
    string Policy,
    int VersionNumber,
    PolicyVersionKind Kind,
    int VersionInForce,
    int MaterialVersion,
    int NoticeVersion,
    IReadOnlyList<string> AttributesWritten)
{
    /// <summary>The code of this outcome in JSON answers (<c>"mode": "bridge"</c>).</summary>
    public const string Mode = "bridge";

    /// <summary>No user was written: the number is part of the contract, said in every rendering.</summary>
    public int UsersWritten => 0;

    /// <summary>The one sentence every rendering says.</summary>
    public string Message =>
        $"The realm uses IdpBridge's required-action bridge: version {VersionNumber} is {(Kind == PolicyVersionKind.Notice ? "shown once" : "asked")} " +
        $"at each user's next login; no user was written. The realm's attributes {(AttributesWritten.Count == 0 ? "were already current" : "were brought up to date")} " +
        $"(version {VersionInForce} in force, material {MaterialVersion}, notice {NoticeVersion}).";
}

/// <summary>What <see cref="RolloutService.StartOrDeliverAsync"/> did: a rollout of users, or a delivery through the bridge.</summary>
/// <param name="Rollout">The rollout started or found; null when <paramref name="Bridge"/> is set.</param>
/// <param name="Created">True when the rollout was started now.</param>
/// <param name="Bridge">Set when the realm uses the bridge: nothing was started, no user written.</param>
public sealed record RolloutStartOutcome(Rollout? Rollout, bool Created, BridgeDelivery? Bridge);
