using IdpBridge.Core.Policies;
using IdpBridge.Core.Rollouts;

namespace IdpBridge.Service.AdminApi;

/// <summary>
/// The answer to a rollout start in a realm that uses IdpBridge's required-action bridge (<c>"mode": "bridge"</c>):
/// no rollout, no user written, the realm's attributes current. The same fields as <c>idpbridge rollout start
/// --output json</c>.
/// </summary>
internal sealed record BridgeDeliveryBody(
    string Mode,
    string Realm,
    string Policy,
    int Version,
    string Kind,
    int VersionInForce,
    int MaterialVersion,
    int NoticeVersion,
    int UsersWritten,
    IReadOnlyList<string> RealmAttributesWritten,
    string Message)
{
    public static BridgeDeliveryBody From(BridgeDelivery delivery) => new(
        BridgeDelivery.Mode, delivery.Realm, delivery.Policy, delivery.VersionNumber, delivery.Kind.Name(), delivery.VersionInForce,
        delivery.MaterialVersion, delivery.NoticeVersion, delivery.UsersWritten, delivery.AttributesWritten, delivery.Message);
}
