using IdpBridge.Keycloak.Http;

namespace IdpBridge.Keycloak;

public sealed partial class KeycloakAdminClient
{
    /// <summary>The locales for which the realm has texts of its own.</summary>
    public async Task<IReadOnlyList<string>> ListLocalizationLocalesAsync(string realm, CancellationToken cancellationToken = default) =>
        await GetAsync<List<string>>(KeycloakPath.Realm(realm, "localization").ToString(), cancellationToken).ConfigureAwait(false);

    /// <summary>The realm's own texts for one locale (they beat the theme's texts for the same key).</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetLocalizationTextsAsync(
        string realm, string locale, CancellationToken cancellationToken = default) =>
        await GetAsync<Dictionary<string, string>>(KeycloakPath.Realm(realm, "localization", locale).ToString(), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>
    /// Sets one text (<c>PUT .../localization/{locale}/{key}</c>, body <c>text/plain</c>). Texts go through Java's
    /// MessageFormat: write a literal apostrophe as <c>''</c>. Retried on transient failures.
    /// </summary>
    public async Task SetLocalizationTextAsync(
        string realm, string locale, string key, string text, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, KeycloakPath.Realm(realm, "localization", locale, key).ToString())
        {
            Content = TextBody(text),
        };
        request.MarkRetrySafe();
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds or updates many texts at once (<c>POST .../localization/{locale}</c>); others are kept. Retried.</summary>
    public Task SetLocalizationTextsAsync(
        string realm, string locale, IReadOnlyDictionary<string, string> texts, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Post, KeycloakPath.Realm(realm, "localization", locale).ToString(), texts, retrySafe: true, cancellationToken);

    /// <summary>Deletes one text (404 when absent). Not retried: a repeat after a lost answer would report 404.</summary>
    public Task DeleteLocalizationTextAsync(
        string realm, string locale, string key, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Delete, KeycloakPath.Realm(realm, "localization", locale, key).ToString(), retrySafe: false, cancellationToken);
}
