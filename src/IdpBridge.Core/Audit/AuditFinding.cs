namespace IdpBridge.Core.Audit;

/// <summary>How much an audit result weighs.</summary>
public enum AuditSeverity
{
    /// <summary>The realm collects, keeps or hands out more than the declared fields: something to fix.</summary>
    Finding,

    /// <summary>Worth knowing, not against the policy (Keycloak's own bookkeeping, IdpBridge's acceptance record, a limit of the audit).</summary>
    Informational,
}

/// <summary>
/// One result of <c>realm audit</c>: a stable code, where in the realm (a JSON-like path into Keycloak's representations,
/// e.g. <c>userProfile.attributes[phoneNumber]</c> or <c>clients[demo-app].optionalClientScopes[address]</c>) and the
/// facts found (names, counts, seconds), never a sentence: the command line says what it means and how to fix it.
/// </summary>
/// <param name="Code">The kind of result, as <c>area_outcome</c> in snake_case (see <see cref="AuditCodes"/>), for CI and for
/// silencing; never changes with the wording.</param>
/// <param name="Severity">Finding or informational.</param>
/// <param name="Check">The check family that produced it (<see cref="AuditChecks"/>), for grouping.</param>
/// <param name="Where">The place in the realm.</param>
/// <param name="Facts">What the words are made of: strings, numbers, booleans, lists of strings, or a map of counts.</param>
public sealed record AuditFinding(string Code, AuditSeverity Severity, string Check, string Where, IReadOnlyDictionary<string, object> Facts)
{
    /// <summary>
    /// A result with the facts given as name/value pairs (null values left out), each list of strings held as an array
    /// and each map of counts as a dictionary, in their order: the few shapes the JSON output's generated serializers
    /// know (a sorted set or a collection expression's own list type would have none in the native CLI).
    /// </summary>
    public static AuditFinding Of(string code, AuditSeverity severity, string check, string where, params (string Name, object? Value)[] facts) =>
        new(code, severity, check, where, facts.Where(fact => fact.Value is not null)
            .ToDictionary(fact => fact.Name, fact => Normalise(fact.Value!), StringComparer.Ordinal));

    private static object Normalise(object value) => value switch
    {
        IEnumerable<string> list => list.ToArray(),
        IEnumerable<KeyValuePair<string, int>> counts => counts.ToDictionary(StringComparer.Ordinal),
        _ => value,
    };
}

/// <summary>The check families, in the order the report shows them.</summary>
public static class AuditChecks
{
    /// <summary>The user profile: attributes beyond the declared fields, unmanaged attributes.</summary>
    public const string UserProfile = "user-profile";

    /// <summary>What users actually store, from the streamed user scan.</summary>
    public const string StoredAttributes = "stored-attributes";

    /// <summary>The registration form.</summary>
    public const string Registration = "registration";

    /// <summary>Identity providers: mappers that import more, stored tokens.</summary>
    public const string IdentityProviders = "identity-providers";

    /// <summary>What clients put in tokens: client scopes and protocol mappers.</summary>
    public const string Tokens = "tokens";

    /// <summary>What the realm's events keep.</summary>
    public const string Events = "events";

    /// <summary>Every family, in report order.</summary>
    public static IReadOnlyList<string> All { get; } = [UserProfile, StoredAttributes, Registration, IdentityProviders, Tokens, Events];
}
