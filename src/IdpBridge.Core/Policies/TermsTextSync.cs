using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Realms;
using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Policies;

/// <summary>
/// Makes a realm's terms step show the version of its terms policy in force now: for each locale the realm
/// supports, <c>termsTitle</c>, <c>termsText</c> and <c>idpbridgeTermsKind</c> are written through the Admin API where they differ. Stateless
/// and convergent: run it on publish, and periodically so that a scheduled version reaches Keycloak once it takes effect.
/// </summary>
public sealed class TermsTextSync(
    IPolicyStore store, KeycloakAdminClient keycloak, BridgeAttributeSync bridge, TimeProvider time, IOptions<PolicyOptions> options)
{
    /// <summary>
    /// Writes what differs, the texts and then the realm attributes of the required-action bridge
    /// (<see cref="BridgeAttributeSync"/>); returns the <c>locale/key</c> pairs and the <c>attributes/name</c> entries
    /// written (empty when Keycloak was up to date).
    /// </summary>
    public async Task<IReadOnlyList<string>> SyncAsync(string realm, CancellationToken cancellationToken = default)
    {
        var texts = await SyncAsync(await RequireRealmAsync(keycloak, realm, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var attributes = await bridge.SyncAsync(realm, cancellationToken).ConfigureAwait(false);
        return [.. texts, .. attributes.Select(name => $"attributes/{name}")];
    }

    /// <summary>The same, for a realm just read (publication already has it).</summary>
    internal async Task<IReadOnlyList<string>> SyncAsync(RealmRepresentation live, CancellationToken cancellationToken)
    {
        var realm = live.Realm!;
        var settings = options.Value;
        var version = await store.GetEffectiveAsync(realm, settings.TermsPolicy, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return [];
        }
        // With internationalization off, Keycloak shows every page in English only.
        var defaultLocale = live.InternationalizationEnabled == true ? live.DefaultLocale ?? "en" : "en";
        var locales = live.InternationalizationEnabled == true && live.SupportedLocales is { Count: > 0 } supported ? supported : [defaultLocale];
        var texts = KeycloakTermsTexts.Build(version, new KeycloakTermsOptions
        {
            PublicBaseUrl = settings.PublicBaseUrl,
            DefaultLocale = defaultLocale,
            SupportedLocales = locales,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone),
        });

        var written = new List<string>();
        foreach (var text in texts)
        {
            var current = await keycloak.GetLocalizationTextsAsync(realm, text.Locale, cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in text.Entries)
            {
                if (!current.TryGetValue(key, out var existing) || existing != value)
                {
                    await keycloak.SetLocalizationTextAsync(realm, text.Locale, key, value, cancellationToken).ConfigureAwait(false);
                    written.Add($"{text.Locale}/{key}");
                }
            }
        }

        return written;
    }

    /// <summary>The realm's settings; a 404 <see cref="KeycloakException"/> when it does not exist.</summary>
    internal static async Task<RealmRepresentation> RequireRealmAsync(KeycloakAdminClient keycloak, string realm, CancellationToken cancellationToken) =>
        await keycloak.FindRealmAsync(realm, cancellationToken).ConfigureAwait(false)
        ?? throw new KeycloakException("GET", $"/admin/realms/{realm}", System.Net.HttpStatusCode.NotFound, $"realm '{realm}' does not exist", null);
}
