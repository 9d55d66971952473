using System.Text;
using System.Text.RegularExpressions;

namespace IdpBridge.Core.Realms;

/// <summary>
/// <c>${env:NAME}</c> and <c>${env:NAME:-default}</c> references inside string values of a realm config. They follow
/// the shell: the default applies when the variable is unset or empty; without a default an empty variable gives an
/// empty string and only an unset one is an error. Keycloak's own <c>${...}</c> placeholders (<c>${username}</c>,
/// <c>${profile.attributes.x}</c>) are left alone: only the <c>env:</c> prefix is a reference.
/// </summary>
internal static partial class EnvironmentReferences
{
    /// <summary>What every reference starts with; a string without it is never touched.</summary>
    public const string Marker = "${env:";

    /// <summary>Resolves every reference in <paramref name="value"/>.</summary>
    public static Resolution Resolve(string value, Func<string, string?> environment)
    {
        var names = new List<string>();
        var missing = new List<string>();
        var malformed = false;
        var resolved = new StringBuilder(value.Length);
        var next = 0;
        foreach (Match match in Reference().Matches(value))
        {
            var between = value[next..match.Index];
            malformed |= between.Contains(Marker, StringComparison.Ordinal);
            resolved.Append(between);

            var name = match.Groups["name"].Value;
            var fromEnvironment = environment(name);
            names.Add(name);
            if (match.Groups["default"].Success)
            {
                resolved.Append(string.IsNullOrEmpty(fromEnvironment) ? match.Groups["default"].Value : fromEnvironment);
            }
            else if (fromEnvironment is null)
            {
                missing.Add(name);
            }
            else
            {
                resolved.Append(fromEnvironment);
            }

            next = match.Index + match.Length;
        }

        var rest = value[next..];
        malformed |= rest.Contains(Marker, StringComparison.Ordinal);
        resolved.Append(rest);

        var whole = names.Count == 1 && Reference().Match(value) is { Index: 0 } only && only.Length == value.Length;
        return new Resolution(resolved.ToString(), names, missing, malformed, whole);
    }

    [GeneratedRegex(@"\$\{env:(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<default>[^}]*))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    /// <summary>The outcome of resolving one string.</summary>
    /// <param name="Value">The string with every resolvable reference replaced (a missing one becomes empty).</param>
    /// <param name="Names">The variables referenced, in order.</param>
    /// <param name="Missing">The variables that are unset and have no default.</param>
    /// <param name="Malformed">Whether the string holds <c>${env:</c> that is not a well-formed reference.</param>
    /// <param name="IsWholeValue">Whether the whole string was one reference (so the value IS the variable's value).</param>
    public sealed record Resolution(
        string Value, IReadOnlyList<string> Names, IReadOnlyList<string> Missing, bool Malformed, bool IsWholeValue);
}
