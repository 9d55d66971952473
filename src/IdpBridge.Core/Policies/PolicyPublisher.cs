using IdpBridge.Core.Storage;
using IdpBridge.Keycloak;
using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Policies;

/// <summary>What to publish besides the documents: the options win over the documents' front matter.</summary>
public sealed record PublishRequest
{
    /// <summary>The Keycloak realm.</summary>
    public required string Realm { get; init; }

    /// <summary>The policy's name (<c>privacy</c>).</summary>
    public required string Policy { get; init; }

    /// <summary>Material, minor or notice; else the documents' <c>kind</c>.</summary>
    public PolicyVersionKind? Kind { get; init; }

    /// <summary>When it takes effect; else the documents' <c>effective</c>, else now.</summary>
    public DateTimeOffset? Effective { get; init; }

    /// <summary>What changed, for the default locale; else the documents' <c>summary</c>.</summary>
    public string? Summary { get; init; }
}

/// <summary>What a publication did.</summary>
/// <param name="Version">The stored version (the existing one when the text was already published).</param>
/// <param name="Created">False when the latest version already had this exact text: nothing was stored.</param>
/// <param name="Notices">Things worth saying, e.g. an option that overrode the front matter.</param>
/// <param name="TermsTextsWritten">The Keycloak texts written (<c>locale/key</c>); empty when not in force yet or already up to date.</param>
/// <param name="RealmAttributesWritten">
/// The realm attributes of the required-action bridge that changed (<c>idpbridge.terms.version</c>...); empty when not in
/// force yet, not the terms policy, or already up to date.
/// </param>
public sealed record PublishResult(
    PolicyVersion Version, bool Created, IReadOnlyList<string> Notices, IReadOnlyList<string> TermsTextsWritten, IReadOnlyList<string> RealmAttributesWritten);

/// <summary>
/// Publishes a policy version: reads the realm's locales from Keycloak, builds the immutable version, stores it
/// (the same text again is a no-op that says so), and, when it is the terms policy and in force, updates
/// Keycloak's terms step and the realm attributes of the required-action bridge at once.
/// </summary>
public sealed class PolicyPublisher(
    IPolicyStore store, KeycloakAdminClient keycloak, TermsTextSync terms, BridgeAttributeSync bridge, TimeProvider time, IOptions<PolicyOptions> options)
{
    /// <summary>Publishes <paramref name="documents"/> (one per locale).</summary>
    /// <exception cref="PolicyDocumentException">The documents or options are refused (draft, missing locale, ...).</exception>
    /// <exception cref="KeycloakException">The realm does not exist or Keycloak failed.</exception>
    public async Task<PublishResult> PublishAsync(
        IReadOnlyList<PolicyDocument> documents, PublishRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var realm = await TermsTextSync.RequireRealmAsync(keycloak, request.Realm, cancellationToken).ConfigureAwait(false);
        var defaultLocale = realm.DefaultLocale ?? "en";
        var published = await store.ListAsync(request.Realm, request.Policy, cancellationToken).ConfigureAwait(false);
        var built = new PolicyVersionBuilder(time).Build(documents, new PolicyVersionOptions
        {
            Realm = request.Realm,
            Policy = request.Policy,
            DefaultLocale = defaultLocale,
            SupportedLocales = realm.SupportedLocales is { Count: > 0 } supported ? supported : [defaultLocale],
            Kind = request.Kind,
            Effective = request.Effective,
            Summary = request.Summary,
            FirstVersion = published.Count == 0,
        });

        var (version, created) = await store.AddAsync(built.Version, cancellationToken).ConfigureAwait(false);
        if (!created && ChangedSummary(version, built.Version) is { } changed)
        {
            // Versions are immutable (the ledger's hashes name them): a new summary over the same text is refused, never dropped.
            throw new PolicyDocumentException(null, null,
                $"Version {version.Number} of {version.Policy} already has exactly this text; only its summary differs ({changed.Locale}: " +
                $"stored '{changed.Stored ?? ""}', given '{changed.Given}'). A published version cannot change, its summary included: nothing was stored. " +
                "A summary goes with a new text: publish it with the next version.");
        }

        IReadOnlyList<string> written = [], attributes = [];
        if (request.Policy == options.Value.TermsPolicy && version.EffectiveAt <= time.GetUtcNow())
        {
            written = await terms.SyncAsync(realm, cancellationToken).ConfigureAwait(false);
            attributes = await bridge.SyncAsync(request.Realm, cancellationToken).ConfigureAwait(false);
        }

        return new PublishResult(version, created, built.Notices, written, attributes);
    }

    /// <summary>The first locale whose given summary differs from the stored one; null when none was given or all agree.</summary>
    private static (string Locale, string? Stored, string Given)? ChangedSummary(PolicyVersion stored, PolicyVersion given)
    {
        foreach (var text in given.Texts)
        {
            var existing = stored.Texts.FirstOrDefault(candidate => candidate.Locale == text.Locale)?.Summary;
            if (text.Summary is { Length: > 0 } summary && summary != existing)
            {
                return (text.Locale, existing, summary);
            }
        }

        return null;
    }
}
