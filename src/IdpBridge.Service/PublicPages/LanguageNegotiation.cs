using Microsoft.Net.Http.Headers;

namespace IdpBridge.Service.PublicPages;

/// <summary>
/// Picks the locale of a policy page: <c>?lang=</c> (explicit: an unknown one is a 404), then Keycloak's
/// <c>kc_locale</c>, then <c>Accept-Language</c> by quality, then the version's default locale. <c>es-AR</c> matches
/// <c>es</c> when no text is written for <c>es-AR</c> itself.
/// </summary>
internal static class LanguageNegotiation
{
    /// <summary>The chosen locale, or null when <c>?lang=</c> names one the version does not have.</summary>
    public static string? Choose(HttpRequest request, IReadOnlyList<string> available, string defaultLocale)
    {
        if (request.Query["lang"] is { Count: > 0 } explicitLang)
        {
            return Match(explicitLang[0], available);
        }

        if (request.Query["kc_locale"] is { Count: > 0 } keycloakLocale && Match(keycloakLocale[0], available) is { } fromKeycloak)
        {
            return fromKeycloak;
        }

        if (StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var accepted))
        {
            foreach (var candidate in accepted.Where(value => value.Quality != 0).OrderByDescending(value => value.Quality ?? 1))
            {
                if (Match(candidate.Value.Value, available) is { } fromHeader)
                {
                    return fromHeader;
                }
            }
        }

        return defaultLocale;
    }

    private static string? Match(string? wanted, IReadOnlyList<string> available)
    {
        if (string.IsNullOrWhiteSpace(wanted) || wanted.Length > 35)
        {
            return null;
        }

        var exact = available.FirstOrDefault(locale => string.Equals(locale, wanted, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }

        var language = wanted.Split('-', '_')[0];
        return available.FirstOrDefault(locale => string.Equals(locale, language, StringComparison.OrdinalIgnoreCase));
    }
}
