namespace IdpBridge.Core.Policies;

/// <summary>What a new version asks of users: to accept again, to be told once, or nothing.</summary>
public enum PolicyVersionKind
{
    /// <summary>A change users must accept again: a re-acceptance rollout follows once it is effective.</summary>
    Material,

    /// <summary>A clarification or correction: published and shown, nobody is asked again.</summary>
    Minor,

    /// <summary>
    /// A change users are told of once, at their next login, with a single "continue" and no decline (for policies
    /// that promise only to notify); recorded as acknowledged.
    /// </summary>
    Notice,
}

/// <summary>One locale's text of a policy version, exactly as users are shown it.</summary>
/// <param name="Locale">BCP 47 language tag as Keycloak uses it (<c>es</c>, <c>en</c>, <c>pt-BR</c>).</param>
/// <param name="Title">The document's title.</param>
/// <param name="Summary">What changed in this version, in this locale; null when nothing was said.</param>
/// <param name="Markdown">The body, Markdown, without front matter.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of <paramref name="Markdown"/> in UTF-8.</param>
public sealed record PolicyText(string Locale, string Title, string? Summary, string Markdown, string Sha256);

/// <summary>
/// An immutable published version of a realm's policy: the text per locale, when it was published, when it takes
/// effect, whether it is material, and a hash over every locale's text.
/// </summary>
/// <param name="Realm">The Keycloak realm.</param>
/// <param name="Policy">The policy's name within the realm (<c>privacy</c>).</param>
/// <param name="Number">1, 2, 3... in publication order.</param>
/// <param name="Kind">Material, minor or notice.</param>
/// <param name="PublishedAt">When it was stored (UTC).</param>
/// <param name="EffectiveAt">From when it is the version in force (UTC); at or after <paramref name="PublishedAt"/>.</param>
/// <param name="ContentHash">Lower-case hex SHA-256 over the sorted locales' <c>locale:sha256</c> lines.</param>
/// <param name="Texts">One text per locale, the realm's default locale first.</param>
public sealed record PolicyVersion(
    string Realm,
    string Policy,
    int Number,
    PolicyVersionKind Kind,
    DateTimeOffset PublishedAt,
    DateTimeOffset EffectiveAt,
    string ContentHash,
    IReadOnlyList<PolicyText> Texts);
