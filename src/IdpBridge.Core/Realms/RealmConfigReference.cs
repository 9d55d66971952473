namespace IdpBridge.Core.Realms;

/// <summary>What a realm config value names that must exist when the plan is made: in the file or in the live realm.</summary>
public enum RealmReferenceKind
{
    /// <summary>A realm role (a group's <c>realmRoles</c>).</summary>
    RealmRole,

    /// <summary>A client scope (a client's or the realm's default and optional client scopes).</summary>
    ClientScope,
}

/// <summary>
/// One name a realm config file refers to, and where: checked at plan time against the file and the live realm, so
/// that a role or scope that exists nowhere is refused with its place in the file before anything is written.
/// </summary>
/// <param name="Kind">What the name names.</param>
/// <param name="Name">The role or scope name.</param>
/// <param name="JsonPath">Where the name is, e.g. <c>$.groups[0].realmRoles[1]</c>.</param>
/// <param name="Line">1-based line of the value.</param>
/// <param name="Column">1-based column of the value.</param>
public sealed record RealmConfigReference(RealmReferenceKind Kind, string Name, string JsonPath, int? Line, int? Column);
