using IdpBridge.Core.Policies;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// What a rollout start would do, found before it does anything (<see cref="RolloutService.PreviewStartAsync"/>): the
/// CLI asks for a confirmation with it before a rollout marks every user.
/// </summary>
/// <param name="Realm">The realm.</param>
/// <param name="Policy">The policy.</param>
/// <param name="VersionNumber">The version the start would deliver.</param>
/// <param name="Kind">Its kind (material or notice).</param>
/// <param name="UsesBridge">The realm uses IdpBridge's required-action bridge: no user would be written.</param>
/// <param name="Existing">The version's rollout when it has one: the start continues it, nothing new is started.</param>
/// <param name="UsersTotal">The realm's users as Keycloak counts them (service accounts excluded); null in bridge mode or for an existing rollout.</param>
public sealed record RolloutStartPreview(
    string Realm,
    string Policy,
    int VersionNumber,
    PolicyVersionKind Kind,
    bool UsesBridge,
    Rollout? Existing,
    int? UsersTotal)
{
    /// <summary>Whether the start would begin writing users who were not written before: what deserves a confirmation.</summary>
    public bool StartsMarkingUsers => !UsesBridge && Existing is null;
}
