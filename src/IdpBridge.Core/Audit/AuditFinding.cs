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
/// One result of <c>realm audit</c>: what was found, where in the realm (a JSON-like path into Keycloak's representations,
/// e.g. <c>userProfile.attributes[phoneNumber]</c> or <c>clients[demo-app].optionalClientScopes[address]</c>) and how to
/// fix it. Data only: how it is printed is the caller's business.
/// </summary>
/// <param name="Code">A stable identifier of the kind of result (<c>user-profile.undeclared-attribute</c>), for CI and for
/// silencing; never changes with the wording.</param>
/// <param name="Severity">Finding or informational.</param>
/// <param name="Check">The check family that produced it (<see cref="AuditChecks"/>), for grouping.</param>
/// <param name="Where">The place in the realm.</param>
/// <param name="What">What is there and why it matters, one sentence or two.</param>
/// <param name="Fix">What to do about it (for informational results: what to do if it matters, or nothing).</param>
public sealed record AuditFinding(string Code, AuditSeverity Severity, string Check, string Where, string What, string Fix);

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
