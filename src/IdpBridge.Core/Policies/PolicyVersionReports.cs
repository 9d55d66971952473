namespace IdpBridge.Core.Policies;

/// <summary>
/// A policy version without its texts, as every list shows it: <c>policy list --output json</c> and the admin API's
/// <c>GET .../policies/{policy}</c> write this one record (docs/cli-json.md lists the names).
/// </summary>
/// <param name="Realm">The realm.</param>
/// <param name="Policy">The policy (<c>privacy</c>).</param>
/// <param name="Number">The version's number.</param>
/// <param name="Kind">Material, notice or minor.</param>
/// <param name="PublishedAt">When it was stored.</param>
/// <param name="EffectiveAt">From when it is in force.</param>
/// <param name="ContentHash">Its content hash.</param>
/// <param name="Locales">Its locales, the realm's default first.</param>
public sealed record PolicyVersionSummary(
    string Realm, string Policy, int Number, PolicyVersionKind Kind, DateTimeOffset PublishedAt, DateTimeOffset EffectiveAt, string ContentHash,
    IReadOnlyList<string> Locales)
{
    /// <summary>The summary of <paramref name="version"/>.</summary>
    public static PolicyVersionSummary From(PolicyVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new(version.Realm, version.Policy, version.Number, version.Kind, version.PublishedAt, version.EffectiveAt, version.ContentHash,
            [.. version.Texts.Select(text => text.Locale)]);
    }
}

/// <summary>
/// What a publication did: <c>policy publish --output json</c> and the admin API's <c>POST .../versions</c> write this
/// one record, the version's summary fields and what was written.
/// </summary>
/// <param name="Realm">The realm.</param>
/// <param name="Policy">The policy.</param>
/// <param name="Number">The version's number.</param>
/// <param name="Kind">Material, notice or minor.</param>
/// <param name="PublishedAt">When it was stored.</param>
/// <param name="EffectiveAt">From when it is in force.</param>
/// <param name="ContentHash">Its content hash.</param>
/// <param name="Locales">Its locales.</param>
/// <param name="Created">False when the same texts were published already (that version is shown).</param>
/// <param name="Notices">What the publication noted (a kind chosen for the caller, a missing summary...).</param>
/// <param name="TermsTextsWritten">The realm localization texts written (<c>termsText/es</c>...).</param>
/// <param name="RealmAttributesWritten">The realm attributes written for the required-action bridge.</param>
public sealed record PolicyPublishReport(
    string Realm, string Policy, int Number, PolicyVersionKind Kind, DateTimeOffset PublishedAt, DateTimeOffset EffectiveAt, string ContentHash,
    IReadOnlyList<string> Locales, bool Created, IReadOnlyList<string> Notices, IReadOnlyList<string> TermsTextsWritten,
    IReadOnlyList<string> RealmAttributesWritten)
{
    /// <summary>The report of <paramref name="result"/>.</summary>
    public static PolicyPublishReport From(PublishResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var version = PolicyVersionSummary.From(result.Version);
        return new(version.Realm, version.Policy, version.Number, version.Kind, version.PublishedAt, version.EffectiveAt, version.ContentHash,
            version.Locales, result.Created, result.Notices, result.TermsTextsWritten, result.RealmAttributesWritten);
    }
}
