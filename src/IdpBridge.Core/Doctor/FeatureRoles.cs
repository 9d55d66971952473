namespace IdpBridge.Core.Doctor;

/// <summary>A feature of IdpBridge that calls Keycloak's Admin API with roles of its own (the README's Security section).</summary>
public enum IdpBridgeFeature
{
    /// <summary><c>realm plan</c> and <c>realm export</c>: read the realm and everything the file declares.</summary>
    Plan,

    /// <summary><c>realm apply</c> on an existing realm.</summary>
    Apply,

    /// <summary><c>policy publish</c> and the service's terms worker: the terms texts and the realm attributes the bridge reads.</summary>
    Publish,

    /// <summary><c>rollout start/resume/retry</c> in Admin API mode, and the service's rollout worker.</summary>
    Rollout,

    /// <summary><c>ledger sync</c> and the service's ledger worker.</summary>
    Ledger,
}

/// <summary>
/// The least <c>realm-management</c> roles of each feature: the one list the README's Security section documents, the
/// doctor checks and the end-to-end tests grant (each feature runs with exactly its set on Keycloak 26.7.3, and fails
/// naming the role without one of them). A <c>manage-*</c> role also passes what its <c>view-*</c> does.
/// </summary>
public static class FeatureRoles
{
    /// <summary><c>realm plan</c>, <c>realm export</c>.</summary>
    public static IReadOnlyList<string> Plan { get; } = ["view-realm", "view-users", "view-clients", "view-events", "view-identity-providers"];

    /// <summary>
    /// <c>realm apply</c> onto an existing realm; a file that grants a service account a <c>realm-management</c> role needs that
    /// role's <c>manage-*</c> too (the demo's <c>view-events</c>: <c>manage-events</c>).
    /// </summary>
    public static IReadOnlyList<string> Apply { get; } = ["manage-realm", "manage-users", "manage-clients", "manage-identity-providers"];

    /// <summary><c>policy publish</c>, the service's terms worker.</summary>
    public static IReadOnlyList<string> Publish { get; } = ["manage-realm"];

    /// <summary><c>rollout start</c> in Admin API mode, the service's rollout worker.</summary>
    public static IReadOnlyList<string> Rollout { get; } = ["view-realm", "manage-users"];

    /// <summary><c>ledger sync</c>, the service's ledger worker.</summary>
    public static IReadOnlyList<string> Ledger { get; } = ["view-events", "view-users"];

    /// <summary>The set of <paramref name="feature"/>.</summary>
    public static IReadOnlyList<string> Of(IdpBridgeFeature feature) => feature switch
    {
        IdpBridgeFeature.Plan => Plan,
        IdpBridgeFeature.Apply => Apply,
        IdpBridgeFeature.Publish => Publish,
        IdpBridgeFeature.Rollout => Rollout,
        IdpBridgeFeature.Ledger => Ledger,
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, "Unknown feature."),
    };

    /// <summary>
    /// The roles of <paramref name="required"/> that <paramref name="held"/> does not pass: a <c>view-*</c> passes with its
    /// <c>manage-*</c>, and <c>realm-admin</c> (a composite Keycloak expands in the token anyway) passes everything.
    /// </summary>
    public static IReadOnlyList<string> Missing(IEnumerable<string> required, IReadOnlySet<string> held)
    {
        ArgumentNullException.ThrowIfNull(required);
        ArgumentNullException.ThrowIfNull(held);
        if (held.Contains("realm-admin"))
        {
            return [];
        }

        return required
            .Where(role => !held.Contains(role) && !(role.StartsWith("view-", StringComparison.Ordinal) && held.Contains("manage-" + role["view-".Length..])))
            .ToList();
    }
}
