using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IdpBridge.Testing.Simulator;

/// <summary>
/// The user profile validation a user <c>PUT</c> runs (UserResource.updateUser → UserProfile.validate): the user as it
/// would be after the update (stored values, with what the body sends applied) is checked against the validators the
/// realm's user profile declares, so a body holding only <c>requiredActions</c> is refused for a user whose stored
/// name or email the validators refuse (docs/keycloak-facts.md, seen on 26.7.3).
/// </summary>
/// <remarks>
/// Modelled: <c>person-name-prohibited-characters</c> and <c>email</c> (with the message and params the server
/// sends), on <c>email</c>, <c>lastName</c> and <c>firstName</c>, in that order, which is the order 26.7.3 lists
/// several errors in. Empty values are not validated (validators ignore them). Username validators do not run on a
/// PUT that keeps the username, and other validators are not modelled.
/// </remarks>
internal static class UserProfileValidation
{
    /// <summary>The attributes validated, in the order the server reports their errors.</summary>
    private static readonly string[] Validated = ["email", "lastName", "firstName"];

    /// <summary>
    /// PersonNameProhibitedCharactersValidator's default pattern in 26.7.3, <c>^[^&lt;&gt;&amp;"\v$%!#?§;*~/\\|^=\[\]{}()\p{Cntrl}]+$</c>,
    /// as .NET reads it: Java's <c>\v</c> is any vertical whitespace and <c>\p{Cntrl}</c> is <c>\p{Cc}</c>; Java's
    /// <c>matches()</c> needs the whole value, hence <c>\z</c> (a .NET <c>$</c> would accept a trailing newline).
    /// </summary>
    private static readonly Regex PersonName = new(
        "^[^<>&\"\\n\\x0B\\f\\r\\x85\\u2028\\u2029$%!#?§;*~/\\\\|^=\\[\\]{}()\\p{Cc}]+\\z", RegexOptions.CultureInvariant);

    private const string LocalAtom = "[a-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\uFFFF-]";
    private const string QuotedAtom = "(?:[a-z0-9!#$%&'*.(),<>\\[\\]:;  @+/=?^_`{|}~\\u0080-\\uFFFF-]|\\\\\\\\|\\\\\")";
    private const string DomainChar = "[a-z\\u0080-\\uFFFF0-9!#$%&'*+/=?^`{|}~]";
    private const string DomainLabel = "(?:" + DomainChar + "-*)*" + DomainChar + "+";

    /// <summary>EmailValidationUtil's local part (Hibernate Validator's rules): atoms or quoted strings joined by dots.</summary>
    private static readonly Regex LocalPart = new(
        "^(?:" + LocalAtom + "+|\"" + QuotedAtom + "+\")(?:\\.(?:" + LocalAtom + "+|\"" + QuotedAtom + "+\"))*\\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary>EmailValidationUtil's domain part: dotted labels, or an IPv4 literal in brackets (IPv6 literals are not modelled).</summary>
    private static readonly Regex DomainPart = new(
        "^(?:" + DomainLabel + "(?:\\." + DomainLabel + ")*|\\[[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\])\\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary>
    /// The 400 body Keycloak answers for these values, or null when they pass: one error as
    /// <c>{"field","errorMessage","params"}</c>, several as <c>{"errors":[...]}</c>.
    /// </summary>
    public static JsonObject? Validate(JsonObject profile, IReadOnlyDictionary<string, string?> values)
    {
        var errors = new List<JsonObject>();
        foreach (var name in Validated)
        {
            if (!values.TryGetValue(name, out var value) || string.IsNullOrEmpty(value) || Validations(profile, name) is not { } validations)
            {
                continue;
            }

            if (validations.ContainsKey("email") && !IsValidEmail(value))
            {
                errors.Add(Error(name, "error-invalid-email", name, value));
            }

            if (validations.ContainsKey("person-name-prohibited-characters") && !PersonName.IsMatch(value))
            {
                errors.Add(Error(name, "error-person-name-invalid-character", name));
            }
        }

        return errors.Count switch
        {
            0 => null,
            1 => errors[0],
            _ => new JsonObject { ["errors"] = new JsonArray([.. errors]) },
        };
    }

    /// <summary>EmailValidationUtil.isValidEmail with the default 64-character local part.</summary>
    internal static bool IsValidEmail(string value)
    {
        var at = value.LastIndexOf('@');
        if (at < 0)
        {
            return false;
        }

        var local = value[..at];
        var domain = value[(at + 1)..];
        if (local.Length > 64 || !LocalPart.IsMatch(local) || domain.EndsWith('.'))
        {
            return false;
        }

        try
        {
            if (new IdnMapping().GetAscii(domain).Length > 255)
            {
                return false;
            }
        }
        catch (ArgumentException)
        {
            return false;
        }

        return DomainPart.IsMatch(domain);
    }

    private static JsonObject? Validations(JsonObject profile, string name) =>
        (profile["attributes"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(attribute => SimJson.Str(attribute, "name") == name)?["validations"] as JsonObject;

    private static JsonObject Error(string field, string message, params string[] parameters) => new()
    {
        ["field"] = field,
        ["errorMessage"] = message,
        ["params"] = SimJson.ToArray(parameters),
    };
}
