using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Core.Audit;

/// <summary>How far the user scan is: users read so far, of about how many (the count taken before the walk).</summary>
public sealed record UserScanProgress(int Scanned, int Total);

/// <summary>
/// What users store, counted per attribute name: never a value. The count is bounded by
/// <see cref="MaxAttributeNames"/> distinct names; names past it are counted together.
/// </summary>
/// <param name="Users">Users read.</param>
/// <param name="UsersPerAttribute">For each attribute name (outside Keycloak's root four), how many users store it.</param>
/// <param name="NamesBeyondLimit">Users' attributes of names past <see cref="MaxAttributeNames"/>, counted together.</param>
public sealed record StoredAttributeCounts(int Users, IReadOnlyDictionary<string, int> UsersPerAttribute, int NamesBeyondLimit)
{
    /// <summary>The most distinct attribute names counted one by one; a realm that lets users name attributes could have any number.</summary>
    public const int MaxAttributeNames = 1000;
}

/// <summary>
/// Walks every user of a realm through the Admin API's paging (full representations, one page in memory at a time) and
/// counts the attribute names they store. Keycloak shows an attribute only when the user profile declares it or
/// <c>unmanagedAttributePolicy</c> is set: see <see cref="UnmanagedAttributeReveal"/>.
/// </summary>
internal static class StoredAttributeScan
{
    public static async Task<StoredAttributeCounts> RunAsync(
        KeycloakAdminClient keycloak, string realm, int pageSize, IProgress<UserScanProgress>? progress, CancellationToken cancellationToken)
    {
        var total = await keycloak.CountUsersAsync(realm, cancellationToken: cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var beyond = 0;
        var scanned = 0;
        progress?.Report(new UserScanProgress(0, total));
        await foreach (var user in keycloak.StreamUsersAsync(realm, UserQuery.All, pageSize, cancellationToken).ConfigureAwait(false))
        {
            scanned++;
            foreach (var (name, values) in user.Attributes ?? new Dictionary<string, IReadOnlyList<string>>())
            {
                if (values.Count == 0)
                {
                    continue;
                }

                if (counts.TryGetValue(name, out var count))
                {
                    counts[name] = count + 1;
                }
                else if (counts.Count < StoredAttributeCounts.MaxAttributeNames)
                {
                    counts[name] = 1;
                }
                else
                {
                    beyond++;
                }
            }

            if (scanned % pageSize == 0)
            {
                progress?.Report(new UserScanProgress(scanned, Math.Max(total, scanned)));
            }
        }

        progress?.Report(new UserScanProgress(scanned, Math.Max(total, scanned)));
        return new StoredAttributeCounts(scanned, counts, beyond);
    }
}
