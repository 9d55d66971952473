using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.RequiredActions;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// Starts, finds and cancels rollouts (the CLI, the admin API and the service's worker all go through here); running
/// one is <see cref="RolloutRunner"/>'s job.
/// </summary>
public sealed class RolloutService(
    KeycloakAdminClient keycloak, IPolicyStore policies, IRolloutStore rollouts, BridgeAttributeSync bridge, TimeProvider time)
{
    /// <summary>
    /// What <c>rollout start</c> does (the CLI and the admin API): in a realm that uses IdpBridge's required-action
    /// bridge (<see cref="RealmTermsMode"/>), no rollout and no user write: the realm's attributes are made current
    /// and the outcome says so (<see cref="RolloutStartOutcome.Bridge"/>); elsewhere, <see cref="StartAsync"/>.
    /// Throws <see cref="RolloutException"/> with the refusal and its facts.
    /// </summary>
    public async Task<RolloutStartOutcome> StartOrDeliverAsync(
        string realm, string policy, int? versionNumber, string startedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        ArgumentException.ThrowIfNullOrEmpty(policy);
        var now = time.GetUtcNow();
        var version = await FindVersionAsync(realm, policy, versionNumber, now, cancellationToken).ConfigureAwait(false);
        if (!await UsesBridgeAsync(realm, cancellationToken).ConfigureAwait(false))
        {
            var (rollout, created) = await StartAsync(realm, policy, version.Number, startedBy, cancellationToken).ConfigureAwait(false);
            return new RolloutStartOutcome(rollout, created, null);
        }

        var written = await bridge.SyncAsync(realm, cancellationToken).ConfigureAwait(false);
        var inForce = BridgeRealmAttributes.For(policy, await policies.ListAsync(realm, policy, cancellationToken).ConfigureAwait(false), now);
        return new RolloutStartOutcome(null, false, new BridgeDelivery(
            realm, policy, version.Number, version.Kind,
            Number(inForce, BridgeRealmAttributes.Version), Number(inForce, BridgeRealmAttributes.MaterialVersion),
            Number(inForce, BridgeRealmAttributes.NoticeVersion), written));
    }

    /// <summary>
    /// What <see cref="StartOrDeliverAsync"/> would do, without writing anything: which version, whether the realm uses
    /// the bridge, whether the version already has a rollout, and otherwise how many users a new rollout would walk.
    /// Throws <see cref="RolloutException"/> for what the start would refuse (no such version, the terms step off).
    /// </summary>
    public async Task<RolloutStartPreview> PreviewStartAsync(
        string realm, string policy, int? versionNumber, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        ArgumentException.ThrowIfNullOrEmpty(policy);
        var version = await FindVersionAsync(realm, policy, versionNumber, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (await UsesBridgeAsync(realm, cancellationToken).ConfigureAwait(false))
        {
            return new RolloutStartPreview(realm, policy, version.Number, version.Kind, UsesBridge: true, Existing: null, UsersTotal: null);
        }

        if (await rollouts.FindAsync(realm, policy, version.Number, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return new RolloutStartPreview(realm, policy, version.Number, version.Kind, UsesBridge: false, existing, UsersTotal: null);
        }

        await RequireTermsStepAsync(realm, cancellationToken).ConfigureAwait(false);
        var total = await keycloak.CountUsersAsync(realm, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new RolloutStartPreview(realm, policy, version.Number, version.Kind, UsesBridge: false, Existing: null, total);
    }

    /// <summary>
    /// Starts the rollout of a material version or a notice (when <paramref name="versionNumber"/> is null, the latest
    /// such version in force: minor versions since then do not ask anyone again). A notice's rollout asks the same
    /// users as a material one would (everyone who has not accepted since it started), and Keycloak's terms step then
    /// shows its single "continue" (the realm text <c>idpbridgeTermsKind</c>). It starts after checking that Keycloak's terms
    /// step is enabled and a default action in the realm; returns the
    /// existing rollout with <c>Created = false</c> when the version has one. Throws <see cref="RolloutException"/> with
    /// the refusal and its facts.
    /// </summary>
    public async Task<(Rollout Rollout, bool Created)> StartAsync(
        string realm, string policy, int? versionNumber, string startedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        ArgumentException.ThrowIfNullOrEmpty(policy);
        var now = time.GetUtcNow();
        var version = await FindVersionAsync(realm, policy, versionNumber, now, cancellationToken).ConfigureAwait(false);
        if (await rollouts.FindAsync(realm, policy, version.Number, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return (existing, false);
        }

        if (await UsesBridgeAsync(realm, cancellationToken).ConfigureAwait(false))
        {
            // The service's worker comes here: in a bridge realm the terms sync has already published the version.
            throw new RolloutException(RolloutRefusal.RealmUsesBridge, new RolloutRefusalFacts(realm, policy, version.Number));
        }

        await RequireTermsStepAsync(realm, cancellationToken).ConfigureAwait(false);
        var total = await keycloak.CountUsersAsync(realm, cancellationToken: cancellationToken).ConfigureAwait(false);

        // Starting on a whole second makes "accepted at or after the start" exact in Keycloak's whole seconds; an answer
        // in the second the rollout starts in may be the previous version's, so that user is asked once more.
        var started = TermsAcceptedTime.FirstCountedSecond(time.GetUtcNow());
        var (rollout, created) = await rollouts.CreateAsync(realm, policy, version.Number, version.ContentHash, started, startedBy, total, cancellationToken)
            .ConfigureAwait(false);
        if (created)
        {
            // Users who answered this version (or a later one) through the bridge, before the realm left it, are not asked again.
            var highest = (await policies.ListAsync(realm, policy, cancellationToken).ConfigureAwait(false)).Max(candidate => candidate.Number);
            if (await BridgeAnswerExemptions.ExemptAsync(keycloak, rollouts, rollout, version, highest, started, cancellationToken).ConfigureAwait(false) > 0)
            {
                rollout = await rollouts.GetAsync(rollout.Id, cancellationToken).ConfigureAwait(false) ?? rollout;
            }
        }

        return (rollout, created);
    }

    /// <summary>The rollout of a version (the latest rollout of the policy when <paramref name="versionNumber"/> is null); null when none.</summary>
    public Task<Rollout?> FindAsync(string realm, string policy, int? versionNumber, CancellationToken cancellationToken = default) =>
        FindAsync(rollouts, realm, policy, versionNumber, cancellationToken);

    /// <summary>
    /// <see cref="FindAsync(string, string, int?, CancellationToken)"/> in <paramref name="rollouts"/> alone: for a reader
    /// (<c>rollout status</c>) that needs no Keycloak connection.
    /// </summary>
    public static async Task<Rollout?> FindAsync(IRolloutStore rollouts, string realm, string policy, int? versionNumber, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rollouts);
        if (versionNumber is { } number)
        {
            return await rollouts.FindAsync(realm, policy, number, cancellationToken).ConfigureAwait(false);
        }

        var all = await rollouts.ListAsync(realm, cancellationToken).ConfigureAwait(false);
        return all.Where(rollout => rollout.Policy == policy).MaxBy(rollout => rollout.VersionNumber);
    }

    /// <summary>Cancels a running rollout; its executor records what it did and stops at its next page.</summary>
    public async Task<Rollout> CancelAsync(Rollout rollout, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout.Status != RolloutStatus.Running)
        {
            throw new RolloutException(RolloutRefusal.NotRunning, RolloutRefusalFacts.Of(rollout));
        }

        return await rollouts.CancelAsync(rollout.Id, message, time.GetUtcNow(), cancellationToken).ConfigureAwait(false) ?? rollout;
    }

    /// <summary>Makes a cancelled rollout run again from where it stopped (a running one is left as it is).</summary>
    public async Task<Rollout> PrepareResumeAsync(Rollout rollout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout.Status == RolloutStatus.Completed)
        {
            throw new RolloutException(RolloutRefusal.AlreadyCompleted, RolloutRefusalFacts.Of(rollout) with { FinishedAt = rollout.FinishedAt });
        }

        if (rollout.Status == RolloutStatus.Cancelled)
        {
            await RequireTermsStepAsync(rollout.Realm, cancellationToken).ConfigureAwait(false);
            await rollouts.ReopenAsync(rollout.Id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        return await rollouts.GetAsync(rollout.Id, cancellationToken).ConfigureAwait(false) ?? rollout;
    }

    /// <summary>"running", "completed", "cancelled".</summary>
    public static string Describe(RolloutStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>"scan", "sweep", "done".</summary>
    public static string Describe(RolloutPhase phase) => phase.ToString().ToLowerInvariant();

    private async Task<PolicyVersion> FindVersionAsync(string realm, string policy, int? versionNumber, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var version = versionNumber is { } number
            ? await policies.GetAsync(realm, policy, number, cancellationToken).ConfigureAwait(false)
            : (await policies.ListAsync(realm, policy, cancellationToken).ConfigureAwait(false))
                .LastOrDefault(candidate => candidate.Kind.AsksUsers() && candidate.EffectiveAt <= now);
        if (version is null)
        {
            throw versionNumber is { } missing
                ? new RolloutException(RolloutRefusal.NoSuchVersion, new RolloutRefusalFacts(realm, policy, missing))
                : new RolloutException(RolloutRefusal.NoVersionInForce, new RolloutRefusalFacts(realm, policy));
        }

        if (!version.Kind.AsksUsers())
        {
            throw new RolloutException(RolloutRefusal.MinorVersion, new RolloutRefusalFacts(realm, policy, version.Number));
        }

        if (version.EffectiveAt > now)
        {
            throw new RolloutException(RolloutRefusal.NotYetEffective, new RolloutRefusalFacts(realm, policy, version.Number, EffectiveAt: version.EffectiveAt));
        }

        return version;
    }

    private async Task<bool> UsesBridgeAsync(string realm, CancellationToken cancellationToken)
    {
        try
        {
            return RealmTermsMode.UsesBridge(await keycloak.ListRequiredActionsAsync(realm, cancellationToken).ConfigureAwait(false));
        }
        catch (KeycloakException exception) when (exception.IsNotFound)
        {
            throw new RolloutException(RolloutRefusal.NoSuchRealm, new RolloutRefusalFacts(realm), exception);
        }
    }

    private static int Number(IReadOnlyDictionary<string, string> attributes, string name) =>
        attributes.TryGetValue(name, out var text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0;

    private async Task RequireTermsStepAsync(string realm, CancellationToken cancellationToken)
    {
        RequiredActionProviderRepresentation? terms;
        try
        {
            terms = await keycloak.FindRequiredActionAsync(realm, RequiredActionProviderRepresentation.TermsAndConditions, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (KeycloakException exception) when (exception.IsNotFound)
        {
            throw new RolloutException(RolloutRefusal.NoSuchRealm, new RolloutRefusalFacts(realm), exception);
        }

        var refusal = terms switch
        {
            null => RolloutRefusal.TermsActionMissing,
            { Enabled: false } => RolloutRefusal.TermsActionDisabled,
            { DefaultAction: false } => RolloutRefusal.TermsActionNotDefault,
            _ => (RolloutRefusal?)null,
        };
        if (refusal is { } refused)
        {
            throw new RolloutException(refused, new RolloutRefusalFacts(realm));
        }
    }
}
