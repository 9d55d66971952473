using System.Globalization;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Core.Policies;

/// <summary>
/// The realm attributes that IdpBridge's required-action bridge (<c>keycloak-extension/</c>, provider
/// <c>idpbridge-terms</c>) reads at each login, computed from a policy's versions: the one place that knows the
/// contract of <c>keycloak-extension/README.md</c>. Pure: no Keycloak, no store, no clock but the one given.
/// </summary>
public static class BridgeRealmAttributes
{
    /// <summary>The prefix of every attribute the bridge reads or writes.</summary>
    public const string Prefix = "idpbridge.terms.";

    /// <summary>The newest version in force, of any kind.</summary>
    public const string Version = Prefix + "version";

    /// <summary>That version's kind as a word.</summary>
    public const string Kind = Prefix + "kind";

    /// <summary>That version's content hash.</summary>
    public const string Sha256 = Prefix + "sha256";

    /// <summary>When that version took effect, ISO-8601 UTC to the second.</summary>
    public const string Effective = Prefix + "effective";

    /// <summary>The newest material version in force (0: none).</summary>
    public const string MaterialVersion = Prefix + "materialVersion";

    /// <summary>
    /// When the newest material version in force took effect: a Keycloak <c>terms_and_conditions</c> time at or after
    /// it is an acceptance of that version (made through Keycloak's built-in terms step, in Admin API mode), so a realm
    /// moved to the bridge does not ask such a user again.
    /// </summary>
    public const string MaterialEffective = Prefix + "materialEffective";

    /// <summary>The newest notice in force (0: none).</summary>
    public const string NoticeVersion = Prefix + "noticeVersion";

    /// <summary>When the newest notice in force took effect: the same rule as <see cref="MaterialEffective"/>, for notices.</summary>
    public const string NoticeEffective = Prefix + "noticeEffective";

    /// <summary>The policy's name, carried in the bridge's events.</summary>
    public const string Policy = Prefix + "policy";

    /// <summary>Every attribute this class writes, in the order of the contract.</summary>
    public static readonly IReadOnlyList<string> Names =
        [Version, Kind, Sha256, Effective, MaterialVersion, MaterialEffective, NoticeVersion, NoticeEffective, Policy];

    /// <summary>
    /// The attributes for the versions of one policy in force at <paramref name="now"/>; empty when none is in force
    /// yet (the bridge is then off in the realm). A version is in force from its effective time; the newest in force
    /// is the one with the highest number among them.
    /// </summary>
    /// <param name="policy">The policy's name.</param>
    /// <param name="versions">The policy's versions (any order; those not in force yet are ignored).</param>
    /// <param name="now">The instant to compute for.</param>
    public static IReadOnlyDictionary<string, string> For(string policy, IEnumerable<PolicyVersion> versions, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(policy);
        ArgumentNullException.ThrowIfNull(versions);
        var inForce = versions.Where(version => version.EffectiveAt <= now).OrderBy(version => version.Number).ToList();
        if (inForce.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var current = inForce[^1];
        var material = inForce.LastOrDefault(version => version.Kind == PolicyVersionKind.Material);
        var notice = inForce.LastOrDefault(version => version.Kind == PolicyVersionKind.Notice);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Version] = Number(current.Number),
            [Kind] = current.Kind.Name(),
            [Sha256] = current.ContentHash,
            [Effective] = Instant(current.EffectiveAt),
            [MaterialVersion] = Number(material?.Number ?? 0),
            [NoticeVersion] = Number(notice?.Number ?? 0),
            [Policy] = policy,
        };
        if (material is not null)
        {
            attributes[MaterialEffective] = Instant(TermsAcceptedTime.FirstCountedSecond(material.EffectiveAt));
        }

        if (notice is not null)
        {
            attributes[NoticeEffective] = Instant(TermsAcceptedTime.FirstCountedSecond(notice.EffectiveAt));
        }

        return attributes;
    }

    /// <summary>
    /// The realm's whole attribute set with <paramref name="wanted"/> merged in, or null when the realm already holds
    /// exactly these values (nothing to write). A bridge attribute the new set no longer has (a notice's, say) is
    /// removed; every attribute outside the bridge's prefix is kept as it is, since Keycloak's realm PUT replaces the
    /// whole set.
    /// </summary>
    /// <param name="live">The realm's attributes as read; null when it has none.</param>
    /// <param name="wanted">What <see cref="For"/> computed; when empty, nothing is written (the bridge's attributes are left alone).</param>
    public static IReadOnlyDictionary<string, string>? Merge(IReadOnlyDictionary<string, string>? live, IReadOnlyDictionary<string, string> wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        if (wanted.Count == 0)
        {
            return null;
        }

        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in live ?? new Dictionary<string, string>())
        {
            if (!Names.Contains(key, StringComparer.Ordinal))
            {
                merged[key] = value;
            }
        }

        foreach (var (key, value) in wanted)
        {
            merged[key] = value;
        }

        var unchanged = live is not null
            && Names.All(name => live.TryGetValue(name, out var liveValue) == wanted.TryGetValue(name, out var wantedValue) && liveValue == wantedValue);
        return unchanged ? null : merged;
    }

    private static string Number(int number) => number.ToString(CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
