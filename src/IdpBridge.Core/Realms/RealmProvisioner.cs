using System.Text.Json.Nodes;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.IdentityProviders;
using Microsoft.Extensions.Options;

using static IdpBridge.Core.Realms.RepresentationJson;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Brings a realm to the state a <see cref="RealmConfig"/> declares: <see cref="PlanAsync"/> reads the live realm
/// (about one GET per resource collection) and lists the changes; <see cref="ApplyAsync"/> carries them out in
/// dependency order and stops at the first failure, so that a re-run converges.
/// </summary>
/// <remarks>
/// It only orders the work: each kind of resource has its planner (realm settings, mail server, user profile,
/// required actions, realm roles, groups, client scopes, clients, service-account roles, identity providers, localization), which reads the live state, lists the changes and
/// fills in how to apply each.
/// </remarks>
public sealed class RealmProvisioner(KeycloakAdminClient keycloak, IOptions<ProvisioningOptions> options)
{
    /// <summary>The IdP config key where IdpBridge keeps a keyed hash of the secret it last wrote (never the secret).</summary>
    public const string SecretHashKey = "idpbridge.clientSecretHash";

    /// <summary>The plan's warning when secrets are hashed without a configured key.</summary>
    public const string UnkeyedHashWarning =
        "the hashes IdpBridge stores in Keycloak beside the secrets it writes are keyed by a public string: anyone who can read the realm's " +
        "configuration can test guesses of a secret offline. Set IdpBridge:Provisioning:SecretHashKey (environment " +
        "IdpBridge__Provisioning__SecretHashKey, at least 32 characters, kept out of Keycloak); the next apply writes each secret once again with a keyed hash.";

    private readonly bool hashKeyed = options.Value.SecretHashKey is not null;

    /// <summary>A provisioner without a hash key (the public scheme), for tools and tests that configure nothing.</summary>
    public RealmProvisioner(KeycloakAdminClient keycloak)
        : this(keycloak, Options.Create(new ProvisioningOptions()))
    {
    }

    private readonly RealmSettingsPlanner settings = new(keycloak);
    private readonly SmtpServerPlanner smtpServer = new(keycloak, new SecretHash(options.Value.SecretHashKey));
    private readonly UserProfilePlanner userProfile = new(keycloak);
    private readonly RequiredActionPlanner requiredActions = new(keycloak);
    private readonly RealmRolePlanner realmRoles = new(keycloak);
    private readonly GroupPlanner groups = new(keycloak);
    private readonly ClientScopePlanner clientScopes = new(keycloak);
    private readonly RealmDefaultScopesPlanner defaultScopes = new(keycloak);
    private readonly ClientPlanner clients = new(keycloak);
    private readonly ServiceAccountRolePlanner serviceAccountRoles = new(keycloak);
    private readonly IdentityProviderPlanner identityProviders = new(keycloak, new SecretHash(options.Value.SecretHashKey));
    private readonly LocalizationPlanner localization = new(keycloak);

    /// <summary>Reads the live realm and lists what an apply would change.</summary>
    public async Task<RealmPlan> PlanAsync(RealmConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var realm = config.RealmName;
        var live = await keycloak.FindRealmAsync(realm, cancellationToken).ConfigureAwait(false);
        if (live is null)
        {
            return new RealmPlan(realm, false, PlanNewRealm(config), UsersAskedFor.Of(config.UserProfile, config.Settings, null), config.IgnoredSections)
            {
                Warnings = Warnings(config),
            };
        }

        var liveRealm = ToJson(live);
        var liveRoles = config.RealmRoles.Count > 0 || RealmReferenceCheck.Needs(config, RealmReferenceKind.RealmRole)
            ? await realmRoles.ListLiveAsync(realm, cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var liveScopes = config.ClientScopes.Count > 0 || RealmReferenceCheck.Needs(config, RealmReferenceKind.ClientScope)
            ? await clientScopes.ListLiveAsync(realm, cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        RealmReferenceCheck.Check(config, liveRoles.Keys, liveScopes.Keys, realmExists: true);
        var changes = new List<ResourceChange>();
        if (settings.Plan(config, liveRealm) is { } realmSettings)
        {
            changes.Add(realmSettings);
        }

        if (smtpServer.Plan(config, liveRealm) is { } mailServer)
        {
            changes.Add(mailServer);
        }

        var liveProfile = await userProfile.PlanAsync(config, changes, cancellationToken).ConfigureAwait(false);
        await requiredActions.PlanAsync(config, changes, cancellationToken).ConfigureAwait(false);
        realmRoles.Plan(config, liveRoles, changes);
        await groups.PlanAsync(config, changes, cancellationToken).ConfigureAwait(false);
        clientScopes.Plan(config, liveScopes, changes);
        await defaultScopes.PlanAsync(config, changes, cancellationToken).ConfigureAwait(false);
        if (config.Clients.Count > 0 || config.ServiceAccountRoles.Count > 0)
        {
            // One list of the live clients serves both planners: a service account belongs to its client.
            var liveClients = await clients.ListLiveAsync(realm, cancellationToken).ConfigureAwait(false);
            clients.Plan(config, liveClients, changes);
            await serviceAccountRoles.PlanAsync(config, liveClients, changes, cancellationToken).ConfigureAwait(false);
        }

        var deletions = new List<ResourceChange>();
        await identityProviders.PlanAsync(config, changes, deletions, cancellationToken).ConfigureAwait(false);
        await localization.PlanAsync(config, changes, cancellationToken).ConfigureAwait(false);
        changes.AddRange(deletions);
        var profile = config.UserProfile ?? liveProfile;
        return new RealmPlan(realm, true, changes, UsersAskedFor.Of(profile, config.Settings, liveRealm), config.IgnoredSections)
        {
            Warnings = Warnings(config),
        };
    }

    /// <summary>
    /// Carries out <paramref name="plan"/> in order. After creating a missing realm it plans again against the new
    /// realm (whose defaults only Keycloak knows) and applies that. Stops at the first failure.
    /// </summary>
    public async Task<ApplyResult> ApplyAsync(
        RealmConfig config, RealmPlan plan, IProgress<ResourceChange>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var done = new List<ResourceChange>();
        var pending = plan.Changes.ToList();
        if (!plan.RealmExists)
        {
            var create = pending[0];
            if (await TryApplyAsync(create, done, progress, cancellationToken).ConfigureAwait(false) is { } failure)
            {
                return new ApplyResult(done, pending, failure);
            }

            pending = (await PlanAsync(config, cancellationToken).ConfigureAwait(false)).Changes.ToList();
        }

        for (var i = 0; i < pending.Count; i++)
        {
            if (await TryApplyAsync(pending[i], done, progress, cancellationToken).ConfigureAwait(false) is { } failure)
            {
                return new ApplyResult(done, pending[i..], failure);
            }
        }

        return new ApplyResult(done, [], null);
    }

    /// <summary>One warning when the file declares a secret IdpBridge would hash and no key is configured.</summary>
    private IReadOnlyList<string> Warnings(RealmConfig config)
    {
        var hashesSecrets = config.IdentityProviders.Any(provider => IsWritten(provider["config"]?["clientSecret"]?.GetValue<string>()))
                            || IsWritten(config.SmtpServer?.GetValueOrDefault(SmtpServerPlanner.PasswordKey));
        return hashesSecrets && !hashKeyed ? [UnkeyedHashWarning] : [];

        static bool IsWritten(string? secret) => secret is not (null or IdentityProviderRepresentation.MaskedSecret);
    }

    private static async Task<Exception?> TryApplyAsync(
        ResourceChange change, List<ResourceChange> done, IProgress<ResourceChange>? progress, CancellationToken cancellationToken)
    {
        try
        {
            await change.Apply(cancellationToken).ConfigureAwait(false);
        }
        catch (KeycloakException exception)
        {
            return exception;
        }

        done.Add(change);
        progress?.Report(change);
        return null;
    }

    private List<ResourceChange> PlanNewRealm(RealmConfig config)
    {
        RealmReferenceCheck.Check(config, RealmConfigSchema.BuiltInRealmRoles(config.RealmName), RealmConfigSchema.BuiltInClientScopes, realmExists: false);
        var changes = new List<ResourceChange> { settings.ForNewRealm(config) };

        // What follows is known only once Keycloak has made the realm with its defaults: listed here, planned exactly
        // (and applied) right after the realm exists.
        if (SmtpServerPlanner.PlanForNewRealm(config) is { } mailServer)
        {
            changes.Add(mailServer);
        }

        if (UserProfilePlanner.ForNewRealm(config) is { } profile)
        {
            changes.Add(profile);
        }

        changes.AddRange(RequiredActionPlanner.ForNewRealm(config));
        changes.AddRange(RealmRolePlanner.ForNewRealm(config));
        changes.AddRange(GroupPlanner.ForNewRealm(config));
        changes.AddRange(ClientScopePlanner.ForNewRealm(config));
        changes.AddRange(RealmDefaultScopesPlanner.ForNewRealm(config));
        changes.AddRange(ClientPlanner.ForNewRealm(config));
        changes.AddRange(ServiceAccountRolePlanner.ForNewRealm(config));
        changes.AddRange(IdentityProviderPlanner.ForNewRealm(config));
        changes.AddRange(LocalizationPlanner.ForNewRealm(config));
        return changes;
    }
}

/// <summary>What an apply did: the changes made, those not made, and the failure that stopped it, if any.</summary>
public sealed record ApplyResult(IReadOnlyList<ResourceChange> Done, IReadOnlyList<ResourceChange> NotDone, Exception? Failure)
{
    /// <summary>True when every change was made.</summary>
    public bool Succeeded => Failure is null;
}
