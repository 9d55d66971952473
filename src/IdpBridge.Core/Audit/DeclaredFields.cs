using System.Text.Json.Nodes;
using IdpBridge.Core.Realms;

namespace IdpBridge.Core.Audit;

/// <summary>
/// What the policy says the realm collects, against which <c>realm audit</c> measures the live realm: the user-profile
/// attributes of the realm config (the demo realm declares <c>username</c>, <c>email</c>, <c>firstName</c> and
/// <c>lastName</c>, and the policies promise first name, last name and email as the only data asked for), and whether
/// the username is the email (so that registration asks for nothing else). One source: the realm config file when one
/// is given, else <see cref="Default"/>, which a test holds equal to the demo realm's file.
/// </summary>
public sealed record DeclaredFields
{
    /// <summary>The policy's fields: Keycloak's four root attributes, username being the email.</summary>
    public static DeclaredFields Default { get; } = new(["username", "email", "firstName", "lastName"], usernameIsEmail: true, source: null);

    private readonly HashSet<string> names;

    private DeclaredFields(IReadOnlyList<string> names, bool usernameIsEmail, string? source)
    {
        Names = names;
        this.names = new HashSet<string>(names, StringComparer.Ordinal);
        UsernameIsEmail = usernameIsEmail;
        Source = source;
    }

    /// <summary>The declared attribute names, in the config's order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>True when the username is the email (<c>registrationEmailAsUsername</c>): registration asks for no username.</summary>
    public bool UsernameIsEmail { get; }

    /// <summary>The realm config file they were read from; null for <see cref="Default"/>.</summary>
    public string? Source { get; }

    /// <summary>
    /// The fields a realm config declares: its <c>userProfile</c> attribute names (the default four when it declares no
    /// profile) and its <c>registrationEmailAsUsername</c> (true when it does not say).
    /// </summary>
    public static DeclaredFields FromRealmConfig(RealmConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var declared = config.UserProfile?["attributes"] is JsonArray attributes
            ? attributes.OfType<JsonObject>().Select(attribute => attribute["name"]?.GetValue<string>()).OfType<string>().ToList()
            : [.. Default.Names];
        var emailAsUsername = config.Settings["registrationEmailAsUsername"]?.GetValue<bool>() ?? Default.UsernameIsEmail;
        return new DeclaredFields(declared, emailAsUsername, config.SourcePath);
    }

    /// <summary>Whether <paramref name="attribute"/> is a declared field.</summary>
    public bool Declares(string attribute) => names.Contains(attribute);
}
