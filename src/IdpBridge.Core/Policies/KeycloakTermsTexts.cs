using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IdpBridge.Core.Policies;

/// <summary>Where the full policy is published and how dates are shown on Keycloak's terms step.</summary>
public sealed record KeycloakTermsOptions
{
    /// <summary>IdpBridge's public address (http or https, no query), e.g. <c>https://idp.example.org/idpbridge</c>.</summary>
    public required Uri PublicBaseUrl { get; init; }

    /// <summary>The realm's <c>defaultLocale</c>: its text is shown where a locale has none.</summary>
    public required string DefaultLocale { get; init; }

    /// <summary>The realm's <c>supportedLocales</c>; one pair of texts is made for each. Empty: the default locale alone.</summary>
    public IReadOnlyList<string> SupportedLocales { get; init; } = [];

    /// <summary>The time zone in which the effective date is shown (a date has no zone; people do). Default UTC.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;
}

/// <summary>
/// The realm localization values for one locale, ready for
/// <c>PUT /admin/realms/{realm}/localization/{Locale}/{key}</c>. Both are MessageFormat patterns (see
/// <see cref="KeycloakMessageFormat"/>), not the text itself.
/// </summary>
/// <param name="Locale">The realm locale.</param>
/// <param name="TermsTitle">Value of <c>termsTitle</c>: plain text (terms.ftl prints it HTML-escaped).</param>
/// <param name="TermsText">Value of <c>termsText</c>: HTML that survives <c>kcSanitize</c>.</param>
/// <param name="Kind">
/// Value of <c>idpbridgeTermsKind</c>: the version's kind as a word (<c>material</c>, <c>minor</c>, <c>notice</c>).
/// IdpBridge's theme shows a notice with a single "continue" and no decline when Keycloak's own terms step asks.
/// </param>
public sealed record KeycloakTermsText(string Locale, string TermsTitle, string TermsText, string Kind)
{
    /// <summary>The localization keys and values to write, in order.</summary>
    public IReadOnlyList<(string Key, string Value)> Entries =>
        [(KeycloakTermsTexts.TitleKey, TermsTitle), (KeycloakTermsTexts.TextKey, TermsText), (KeycloakTermsTexts.KindKey, Kind)];
}

/// <summary>
/// Makes Keycloak's terms step show a policy version: the title with its number, and a text with the number, the
/// effective date, what changed and a link to the full text on IdpBridge's public page.
/// </summary>
/// <remarks>
/// keycloak.v2's terms.ftl prints <c>${msg("termsTitle")}</c> (auto-escaped) and
/// <c>${kcSanitize(msg("termsText"))?no_esc}</c>. <c>kcSanitize</c>
/// (services/src/main/java/org/keycloak/theme/KeycloakSanitizerMethod.java) first decodes HTML entities until
/// nothing changes, then applies the OWASP policy in KeycloakSanitizerPolicy.java. So an escaped <c>&amp;lt;b&amp;gt;</c>
/// in a summary would come back as a real <c>&lt;b&gt;</c>, and an escaped <c>&amp;lt;script&amp;gt;</c> would be
/// dropped with its content: HTML escaping alone does not keep user text literal there. Text from the documents is
/// therefore escaped and, where a <c>&lt;</c> or <c>&amp;</c> could start a tag or an entity once decoded, followed by
/// an invisible U+2060 WORD JOINER, which the sanitizer keeps and which makes it plain text.
/// Only <c>p</c>, <c>strong</c> and <c>a href target="_blank"</c> are written; the policy allows all three (and adds
/// <c>rel="nofollow"</c> to links).
/// </remarks>
public static partial class KeycloakTermsTexts
{
    /// <summary>The localization key of the terms step's title.</summary>
    public const string TitleKey = "termsTitle";

    /// <summary>The localization key of the terms step's HTML text.</summary>
    public const string TextKey = "termsText";

    /// <summary>The localization key that tells the theme the version's kind (a notice has only "continue").</summary>
    public const string KindKey = "idpbridgeTermsKind";

    /// <summary>A word joiner: invisible, kept by the sanitizer, and not a character that can follow <c>&lt;</c> in a tag.</summary>
    internal const char WordJoiner = '\u2060';

    /// <summary>Makes the texts of <paramref name="version"/> for every supported locale, the default locale first.</summary>
    /// <param name="version">A stored version (its number assigned).</param>
    /// <param name="options">Public address, locales and time zone.</param>
    /// <exception cref="ArgumentException">The version has no number yet, or has no text for the default locale, or the link would not survive <c>kcSanitize</c>.</exception>
    public static IReadOnlyList<KeycloakTermsText> Build(PolicyVersion version, KeycloakTermsOptions options)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(options);
        if (version.Number < 1)
        {
            throw new ArgumentException("The version has no number yet: make the texts from the stored version.", nameof(version));
        }

        var fallback = version.Texts.FirstOrDefault(text => SameLocale(text.Locale, options.DefaultLocale))
            ?? throw new ArgumentException($"The version has no text for the default locale '{options.DefaultLocale}'.", nameof(version));
        var locales = options.SupportedLocales.Count == 0 ? [options.DefaultLocale] : options.SupportedLocales;

        return locales
            .OrderBy(locale => SameLocale(locale, options.DefaultLocale) ? 0 : 1)
            .Select(locale =>
            {
                var text = version.Texts.FirstOrDefault(candidate => SameLocale(candidate.Locale, locale)) ?? fallback;
                var labels = Labels.For(locale, options.DefaultLocale);
                var url = PolicyUrl(options.PublicBaseUrl, version.Realm, version.Policy, version.Number, locale);
                var title = string.Format(CultureInfo.InvariantCulture, labels.Title, text.Title, version.Number);
                return new KeycloakTermsText(
                    locale,
                    KeycloakMessageFormat.Escape(title),
                    KeycloakMessageFormat.Escape(Html(version, text, labels, url, locale, options.TimeZone)),
                    version.Kind.Name());
            })
            .ToList();
    }

    /// <summary>
    /// The public page of one version: <c>{base}/policies/{realm}/{policy}/v/{number}?lang={locale}</c>, each segment
    /// escaped.
    /// </summary>
    /// <param name="publicBaseUrl">IdpBridge's public address (http or https, no query).</param>
    /// <param name="realm">The realm.</param>
    /// <param name="policy">The policy's name.</param>
    /// <param name="number">The version number.</param>
    /// <param name="locale">The language to show it in.</param>
    /// <exception cref="ArgumentException">The address is not http(s), has a query, or would be dropped by <c>kcSanitize</c>.</exception>
    public static Uri PolicyUrl(Uri publicBaseUrl, string realm, string policy, int number, string locale)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        ArgumentException.ThrowIfNullOrEmpty(realm);
        ArgumentException.ThrowIfNullOrEmpty(policy);
        ArgumentException.ThrowIfNullOrEmpty(locale);
        if (!publicBaseUrl.IsAbsoluteUri || (publicBaseUrl.Scheme != Uri.UriSchemeHttps && publicBaseUrl.Scheme != Uri.UriSchemeHttp)
            || publicBaseUrl.Query.Length > 0 || publicBaseUrl.Fragment.Length > 0)
        {
            throw new ArgumentException($"The public address must be an absolute http(s) URL without query or fragment, not '{publicBaseUrl}'.", nameof(publicBaseUrl));
        }

        var address = string.Create(
            CultureInfo.InvariantCulture,
            $"{publicBaseUrl.AbsoluteUri.TrimEnd('/')}/policies/{Uri.EscapeDataString(realm)}/{Uri.EscapeDataString(policy)}/v/{number}?lang={Uri.EscapeDataString(locale)}");
        if (!KeycloakOffsiteUrl().IsMatch(address))
        {
            throw new ArgumentException($"Keycloak's sanitizer would drop the link '{address}': use a plainer public address.", nameof(publicBaseUrl));
        }

        return new Uri(address);
    }

    private static string Html(PolicyVersion version, PolicyText text, Labels labels, Uri url, string locale, TimeZoneInfo zone)
    {
        var culture = CultureOf(locale);
        // A locale without labels of its own borrows another's words, never its date pattern.
        var pattern = Labels.Own(locale)?.DatePattern ?? culture.DateTimeFormat.LongDatePattern;
        var date = TimeZoneInfo.ConvertTime(version.EffectiveAt, zone).ToString(pattern, culture);
        var html = new StringBuilder();
        html.Append("<p><strong>")
            .Append(string.Format(CultureInfo.InvariantCulture, labels.Version, version.Number))
            .Append("</strong>")
            .Append(string.Format(CultureInfo.InvariantCulture, labels.Effective, Text(date)))
            .Append("</p>");
        if (text.Summary is { } summary)
        {
            html.Append("<p><strong>").Append(labels.Changed).Append("</strong> ")
                .Append(Text(CollapseWhitespace(summary))).Append("</p>");
        }

        html.Append("<p><a href=\"").Append(Attribute(url.AbsoluteUri)).Append("\" target=\"_blank\">")
            .Append(string.Format(CultureInfo.InvariantCulture, labels.Link, Text(text.Title), version.Number))
            .Append("</a></p>");
        return html.ToString();
    }

    /// <summary>
    /// HTML-escapes text from a document so that it stays text even after <c>kcSanitize</c> decodes entities: a
    /// <c>&lt;</c> that could open a tag, and an <c>&amp;</c> that could open an entity, get a word joiner after them.
    /// </summary>
    internal static string Text(string value)
    {
        var builder = new StringBuilder(value.Length + 16);
        for (var i = 0; i < value.Length; i++)
        {
            var next = i + 1 < value.Length ? value[i + 1] : '\0';
            switch (value[i])
            {
                case '<':
                    builder.Append("&lt;");
                    if (char.IsAsciiLetter(next) || next is '/' or '!' or '?')
                    {
                        builder.Append(WordJoiner);
                    }

                    break;
                case '&':
                    builder.Append("&amp;");
                    if (char.IsAsciiLetterOrDigit(next) || next == '#')
                    {
                        builder.Append(WordJoiner);
                    }

                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '"':
                    builder.Append("&quot;");
                    break;
                default:
                    builder.Append(value[i]);
                    break;
            }
        }

        return builder.ToString();
    }

    private static string Attribute(string value) =>
        value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    private static string CollapseWhitespace(string value) => Whitespace().Replace(value.Trim(), " ");

    private static bool SameLocale(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static CultureInfo CultureOf(string locale)
    {
        try
        {
            return CultureInfo.GetCultureInfo(locale);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.InvariantCulture;
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    // OFFSITE_URL of services/src/main/java/org/keycloak/theme/KeycloakSanitizerPolicy.java: an href that does not
    // match it is removed (the link text stays, unlinked).
    [GeneratedRegex(@"^\s*(?:(?:ht|f)tps?://|mailto:)[\p{L}\p{N}][\p{L}\p{N}\p{Zs}\.\#@\$%\+&;:\-_~,\?=/!\(\)]*\s*$")]
    private static partial Regex KeycloakOffsiteUrl();

    private sealed record Labels(string Title, string Version, string Effective, string Changed, string Link, string DatePattern)
    {
        private static readonly Labels Spanish = new(
            Title: "{0} — versión {1}",
            Version: "Versión {0}",
            Effective: ", vigente desde el {0}.",
            Changed: "Qué cambió:",
            Link: "Leer el texto completo: {0}, versión {1}",
            DatePattern: "d 'de' MMMM 'de' yyyy");

        private static readonly Labels English = new(
            Title: "{0} — version {1}",
            Version: "Version {0}",
            Effective: ", in force from {0}.",
            Changed: "What changed:",
            Link: "Read the full text: {0}, version {1}",
            DatePattern: "MMMM d, yyyy");

        public static Labels For(string locale, string defaultLocale) =>
            Own(locale) ?? Own(defaultLocale) ?? English;

        public static Labels? Own(string locale) => Language(locale) switch
        {
            "es" => Spanish,
            "en" => English,
            _ => null,
        };

        private static string Language(string locale)
        {
            var dash = locale.IndexOfAny(['-', '_']);
            return (dash < 0 ? locale : locale[..dash]).ToLowerInvariant();
        }
    }
}
