using System.Globalization;
using IdpBridge.Core.Realms;

namespace IdpBridge.Core.Ledger;

/// <summary>
/// What an event of IdpBridge's terms bridge (<c>details.custom_required_action = idpbridge-terms</c>) says about the
/// decision, read from the details the extension adds (<c>keycloak-extension/README.md</c>): <c>policy</c>,
/// <c>version</c>, <c>sha256</c>, <c>kind</c>, <c>decision</c>, <c>locale</c>. Nothing here is inferred from the time.
/// </summary>
/// <param name="Policy">The policy the page showed; null when the event names none readable.</param>
/// <param name="Version">The version shown; null with <paramref name="Sha256"/> unless both are readable.</param>
/// <param name="Sha256">That version's content hash (64 lower-case hex digits).</param>
/// <param name="Decision">What the user did, as the detail and the event's type say together; null when they disagree.</param>
/// <param name="Locale">The language the page was rendered in; null when the event names none that looks like a language tag.</param>
internal sealed record BridgeEventDetails(string? Policy, int? Version, string? Sha256, AcceptanceDecision? Decision, string? Locale = null)
{
    /// <summary>The detail that names the required action.</summary>
    public const string ActionDetail = "custom_required_action";

    /// <summary>Longest policy name read from an event (the extension accepts <c>[a-z0-9][a-z0-9._-]*</c>).</summary>
    private const int MaxPolicyLength = 100;

    /// <summary>Longest language tag read from an event (BCP 47's advice for a tag an implementation must take whole).</summary>
    public const int MaxLocaleLength = 35;

    /// <summary>Whether <paramref name="details"/> are those of a bridge event.</summary>
    public static bool IsBridge(IReadOnlyDictionary<string, string>? details) =>
        details is not null && details.TryGetValue(ActionDetail, out var action) && action == TermsSteps.Bridge;

    /// <summary>
    /// Reads the details of a bridge event (<paramref name="success"/>: its type is the success one). A success event
    /// (<c>CUSTOM_REQUIRED_ACTION</c>) is <c>accepted</c> or <c>acknowledged</c>, an error event
    /// (<c>CUSTOM_REQUIRED_ACTION_ERROR</c>, <c>rejected_by_user</c>) <c>declined</c>; a value out of its shape counts as
    /// absent, so that a bad detail never puts a wrong version in the record (version and hash are kept only together).
    /// The <c>locale</c> is kept when it is a language tag of at most <see cref="MaxLocaleLength"/> characters (letters,
    /// digits and hyphens in subtags of 1 to 8, the first of 2 to 8 letters), else dropped: never a failure.
    /// </summary>
    public static BridgeEventDetails Read(IReadOnlyDictionary<string, string> details, bool success)
    {
        ArgumentNullException.ThrowIfNull(details);
        var version = details.TryGetValue("version", out var number)
            && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : (int?)null;
        var sha256 = details.TryGetValue("sha256", out var hash) && IsSha256(hash) ? hash : null;
        var policy = details.TryGetValue("policy", out var name) && IsPolicyName(name) ? name : null;
        var locale = details.TryGetValue("locale", out var tag) && IsLanguageTag(tag) ? tag : null;
        details.TryGetValue("decision", out var decision);
        AcceptanceDecision? meaning = (success, decision) switch
        {
            (true, "accepted") => AcceptanceDecision.Accepted,
            (true, "acknowledged") => AcceptanceDecision.Acknowledged,
            (false, "declined") => AcceptanceDecision.Declined,
            // An older extension, or a detail lost: the event's type still tells accept from decline.
            (true, null) => AcceptanceDecision.Accepted,
            (false, null) => AcceptanceDecision.Declined,
            _ => null,
        };
        return version is not null && sha256 is not null
            ? new BridgeEventDetails(policy, version, sha256, meaning, locale)
            : new BridgeEventDetails(policy, null, null, meaning, locale);
    }

    /// <summary>Whether <paramref name="value"/> has the shape of a BCP 47 language tag (<c>es</c>, <c>pt-BR</c>, <c>es-419</c>) and is short enough.</summary>
    internal static bool IsLanguageTag(string value)
    {
        if (value.Length is 0 or > MaxLocaleLength)
        {
            return false;
        }

        var subtags = value.Split('-');
        return subtags[0].Length is >= 2 and <= 8 && subtags[0].All(char.IsAsciiLetter)
            && subtags.Skip(1).All(subtag => subtag.Length is >= 1 and <= 8 && subtag.All(char.IsAsciiLetterOrDigit));
    }

    private static bool IsSha256(string value) =>
        value.Length == 64 && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static bool IsPolicyName(string value) =>
        value.Length is > 0 and <= MaxPolicyLength
        && (char.IsAsciiLetterLower(value[0]) || char.IsAsciiDigit(value[0]))
        && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-');
}
