using IdpBridge.Core.Policies;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// The answer to a rollout start in a realm that uses IdpBridge's required-action bridge (<c>"mode": "bridge"</c>):
/// no rollout, no user written, the realm's attributes current. <c>idpbridge rollout start --output json</c> and the
/// admin API write this one record.
/// </summary>
/// <param name="Mode">Always <c>bridge</c>.</param>
/// <param name="Realm">The realm.</param>
/// <param name="Policy">The policy.</param>
/// <param name="Version">The version asked for.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="VersionInForce">The version the realm's attributes name as in force.</param>
/// <param name="MaterialVersion">The latest material version in force.</param>
/// <param name="NoticeVersion">The latest notice in force.</param>
/// <param name="UsersWritten">Always 0: the bridge asks each user at login.</param>
/// <param name="RealmAttributesWritten">The realm attributes written now.</param>
/// <param name="Message">What happened, in words.</param>
public sealed record BridgeDeliveryReport(
    string Mode,
    string Realm,
    string Policy,
    int Version,
    PolicyVersionKind Kind,
    int VersionInForce,
    int MaterialVersion,
    int NoticeVersion,
    int UsersWritten,
    IReadOnlyList<string> RealmAttributesWritten,
    string Message)
{
    /// <summary>The report of <paramref name="delivery"/>.</summary>
    public static BridgeDeliveryReport From(BridgeDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new(BridgeDelivery.Mode, delivery.Realm, delivery.Policy, delivery.VersionNumber, delivery.Kind, delivery.VersionInForce,
            delivery.MaterialVersion, delivery.NoticeVersion, delivery.UsersWritten, delivery.AttributesWritten, delivery.Message);
    }
}
