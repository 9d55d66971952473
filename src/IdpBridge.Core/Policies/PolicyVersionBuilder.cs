using System.Globalization;
using System.Text;

namespace IdpBridge.Core.Policies;

/// <summary>What a publisher says about a new version, beside its files (the command line's options).</summary>
public sealed record PolicyVersionOptions
{
    /// <summary>The Keycloak realm.</summary>
    public required string Realm { get; init; }

    /// <summary>The policy's name within the realm (<c>privacy</c>).</summary>
    public required string Policy { get; init; }

    /// <summary>The realm's <c>defaultLocale</c>: Keycloak shows its text to anyone whose language has none.</summary>
    public required string DefaultLocale { get; init; }

    /// <summary>The realm's <c>supportedLocales</c>; empty means the default locale alone.</summary>
    public IReadOnlyList<string> SupportedLocales { get; init; } = [];

    /// <summary>Material, minor or notice; wins over the files' <c>kind</c>. Null: the files must say it.</summary>
    public PolicyVersionKind? Kind { get; init; }

    /// <summary>From when the version is in force; wins over the files' <c>effective</c>. Null: the files', else now.</summary>
    public DateTimeOffset? Effective { get; init; }

    /// <summary>What changed, for the default locale; wins over that file's <c>summary</c>. Null: the file's.</summary>
    public string? Summary { get; init; }

    /// <summary>True when the policy has no version yet: nothing changed, so a first material version needs no summary.</summary>
    public bool FirstVersion { get; init; }
}

/// <summary>A version ready for the store, and what the publisher should know about how it was built.</summary>
/// <param name="Version">The version (its <see cref="PolicyVersion.Number"/> is 0: the store assigns it).</param>
/// <param name="Notices">
/// Choices made that the publisher did not spell out (an option overriding the front matter, a locale taken from a
/// file name), one sentence each; empty when there were none.
/// </param>
public sealed record PolicyVersionBuildResult(PolicyVersion Version, IReadOnlyList<string> Notices);

/// <summary>
/// Builds an immutable <see cref="PolicyVersion"/> from one document per locale, refusing what Keycloak or the
/// users could not live with: drafts, two files for one locale, a locale the realm does not offer, no text for the
/// default locale, a material version without a summary, an effective time in the past.
/// </summary>
/// <param name="timeProvider">The clock for <see cref="PolicyVersion.PublishedAt"/>.</param>
public sealed class PolicyVersionBuilder(TimeProvider timeProvider)
{
    /// <summary>
    /// How far in the past an effective time may be and still be taken as "now" (it then becomes the publication
    /// time): enough for a publisher who typed the current time by hand, never enough to back-date a version that
    /// users would be held to before they could have seen it.
    /// </summary>
    public static readonly TimeSpan EffectiveTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Builds the version.</summary>
    /// <param name="documents">One document per locale.</param>
    /// <param name="options">The realm's locales and the publisher's choices.</param>
    /// <exception cref="PolicyDocumentException">The documents and options do not make a publishable version.</exception>
    public PolicyVersionBuildResult Build(IReadOnlyList<PolicyDocument> documents, PolicyVersionOptions options)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Realm);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Policy);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DefaultLocale);

        if (documents.Count == 0)
        {
            throw new PolicyDocumentException(null, null, "no policy files were given: give one file per locale");
        }

        var notices = new List<string>();
        var supported = options.SupportedLocales.Count == 0 ? [options.DefaultLocale] : options.SupportedLocales;
        var defaultLocale = supported.FirstOrDefault(locale => SameLocale(locale, options.DefaultLocale))
            ?? throw new PolicyDocumentException(
                null, null, $"the default locale '{options.DefaultLocale}' is not among the supported locales ({string.Join(", ", supported)})");

        foreach (var document in documents)
        {
            if (document.Draft)
            {
                throw new PolicyDocumentException(
                    null, null, $"{document.SourceName} is a draft (draft: true in its front matter); remove it or set draft: false to publish");
            }
        }

        var byLocale = new Dictionary<string, PolicyDocument>(StringComparer.OrdinalIgnoreCase);
        foreach (var document in documents)
        {
            var locale = LocaleOf(document, documents.Count, supported, defaultLocale, notices);
            if (byLocale.TryGetValue(locale, out var other))
            {
                throw new PolicyDocumentException(
                    document.SourceName, null, $"a second file for locale '{locale}' (the first is {other.SourceName}): give one file per locale");
            }

            byLocale[locale] = document;
        }

        if (!byLocale.ContainsKey(defaultLocale))
        {
            throw new PolicyDocumentException(
                null, null,
                $"no file for the default locale '{defaultLocale}': Keycloak shows the default locale's text to anyone whose language has none, so it is required");
        }

        var kind = KindOf(byLocale, options, notices);
        var now = timeProvider.GetUtcNow();
        var effective = EffectiveOf(byLocale, options, now, notices);

        var texts = new List<PolicyText>();
        foreach (var (locale, document) in byLocale.OrderBy(pair => SameLocale(pair.Key, defaultLocale) ? 0 : 1).ThenBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var summary = document.Summary;
            if (SameLocale(locale, defaultLocale) && options.Summary is { } optionSummary && !string.IsNullOrWhiteSpace(optionSummary))
            {
                if (summary is not null && summary != optionSummary.Trim())
                {
                    notices.Add($"summary: the option wins over the summary in the front matter of {document.SourceName}");
                }

                summary = optionSummary.Trim();
            }

            texts.Add(new PolicyText(locale, document.Title, summary, document.Markdown, document.Sha256));
        }

        if (kind.AsksUsers() && texts[0].Summary is null && !options.FirstVersion)
        {
            throw new PolicyDocumentException(
                byLocale[defaultLocale].SourceName, null,
                kind == PolicyVersionKind.Material
                    ? "a material version after the first needs a summary of what changed, which users are shown before they accept again: " +
                      "add 'summary:' to the front matter or pass --summary"
                    : "a notice after the first version needs a summary of what changed: it is what users are told at their next login; " +
                      "add 'summary:' to the front matter or pass --summary");
        }

        var version = new PolicyVersion(
            Realm: options.Realm,
            Policy: options.Policy,
            Number: 0,
            Kind: kind,
            PublishedAt: now,
            EffectiveAt: effective,
            ContentHash: ContentHash(texts),
            Texts: texts);
        return new PolicyVersionBuildResult(version, notices);
    }

    /// <summary>
    /// The hash of a version's content: lower-case hex SHA-256 of the UTF-8 lines <c>locale:sha256\n</c>, one per
    /// text, sorted by locale (ordinal). Independent of the order the texts are given in.
    /// </summary>
    /// <param name="texts">The version's texts.</param>
    public static string ContentHash(IEnumerable<PolicyText> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var builder = new StringBuilder();
        foreach (var text in texts.OrderBy(text => text.Locale, StringComparer.Ordinal))
        {
            builder.Append(text.Locale).Append(':').Append(text.Sha256).Append('\n');
        }

        return PolicyDocumentReader.Sha256Hex(builder.ToString());
    }

    private static bool SameLocale(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string LocaleOf(
        PolicyDocument document, int documentCount, IReadOnlyList<string> supported, string defaultLocale, List<string> notices)
    {
        if (document.Locale is { } declared)
        {
            return supported.FirstOrDefault(locale => SameLocale(locale, declared))
                ?? throw new PolicyDocumentException(
                    document.SourceName, null,
                    $"locale '{declared}' is not among the realm's supported locales ({string.Join(", ", supported)}): add it to the realm or remove the file");
        }

        var stem = Path.GetFileNameWithoutExtension(document.SourceName);
        if (supported.FirstOrDefault(locale => SameLocale(locale, stem)) is { } fromName)
        {
            notices.Add($"{document.SourceName}: no 'locale:' in its front matter; taken as '{fromName}' from the file name");
            return fromName;
        }

        if (documentCount == 1)
        {
            notices.Add($"{document.SourceName}: no 'locale:' in its front matter; taken as the default locale '{defaultLocale}'");
            return defaultLocale;
        }

        throw new PolicyDocumentException(
            document.SourceName, null, "which locale is this file? add 'locale:' to its front matter or name it after the locale (es.md)");
    }

    private static PolicyVersionKind KindOf(Dictionary<string, PolicyDocument> byLocale, PolicyVersionOptions options, List<string> notices)
    {
        var declared = byLocale.Values.Where(document => document.Kind is not null).ToList();
        if (options.Kind is { } chosen)
        {
            foreach (var document in declared.Where(document => document.Kind != chosen))
            {
                notices.Add($"kind: the option ({chosen.Name()}) wins over the front matter of {document.SourceName} ({document.Kind!.Value.Name()})");
            }

            return chosen;
        }

        var kinds = declared.Select(document => document.Kind!.Value).Distinct().ToList();
        return kinds.Count switch
        {
            1 => kinds[0],
            0 => throw new PolicyDocumentException(
                null, null, $"no kind given: pass --kind {PolicyVersionKinds.Choices}, or add 'kind:' to the front matter"),
            _ => throw new PolicyDocumentException(
                null, null,
                $"the files disagree on kind ({string.Join(", ", declared.Select(document => $"{document.SourceName}: {document.Kind!.Value.Name()}"))}): " +
                "make them agree or pass --kind, which wins"),
        };
    }

    private static DateTimeOffset EffectiveOf(
        Dictionary<string, PolicyDocument> byLocale, PolicyVersionOptions options, DateTimeOffset now, List<string> notices)
    {
        var declared = byLocale.Values.Where(document => document.Effective is not null).ToList();
        DateTimeOffset? effective;
        if (options.Effective is { } chosen)
        {
            foreach (var document in declared.Where(document => document.Effective != chosen))
            {
                notices.Add($"effective: the option ({Iso(chosen)}) wins over the front matter of {document.SourceName} ({Iso(document.Effective!.Value)})");
            }

            effective = chosen;
        }
        else
        {
            var times = declared.Select(document => document.Effective!.Value.ToUniversalTime()).Distinct().ToList();
            if (times.Count > 1)
            {
                throw new PolicyDocumentException(
                    null, null,
                    $"the files disagree on effective ({string.Join(", ", declared.Select(document => $"{document.SourceName}: {Iso(document.Effective!.Value)}"))}): " +
                    "make them agree or pass --effective, which wins");
            }

            effective = times.Count == 1 ? times[0] : null;
        }

        if (effective is null)
        {
            return now;
        }

        if (effective.Value < now - EffectiveTolerance)
        {
            throw new PolicyDocumentException(
                null, null,
                $"effective {Iso(effective.Value)} is in the past (now is {Iso(now)}): a version cannot bind users before it was published; " +
                "give a later time or none to take effect now");
        }

        return effective.Value < now ? now : effective.Value.ToUniversalTime();
    }

    private static string Iso(DateTimeOffset time) => time.Offset == TimeSpan.Zero
        ? time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        : time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
