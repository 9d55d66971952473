using System.Runtime.CompilerServices;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Core.Rollouts;

/// <summary>Where a scan stands: the last username handled and the list offset it was read at.</summary>
/// <param name="AfterUsername">Users up to and including this one (Keycloak's username order) are done; null before the first.</param>
/// <param name="Offset">The offset of the page that ended with <paramref name="AfterUsername"/>: where to look again on resume.</param>
public sealed record ScanCursor(string? AfterUsername, int Offset)
{
    /// <summary>The start of the list.</summary>
    public static ScanCursor Start { get; } = new(null, 0);
}

/// <summary>One page of users not seen before, and the cursor to store once they are all handled.</summary>
public sealed record ScanPage(IReadOnlyList<UserRepresentation> Users, ScanCursor Next);

/// <summary>
/// Walks a realm's users in username order (full representations, so required actions and the terms timestamp come
/// with the list) such that no user present for the whole walk is missed, though Keycloak pages by offset and users
/// are created, renamed and deleted meanwhile.
/// </summary>
/// <remarks>
/// Offset paging shifts: a user deleted before the cursor moves every later user one place left, so the next page
/// would start one user too far. Each page is therefore read with an overlap, and its first user must be one already
/// handled (username at or before the cursor): that proves the pages touch. When it is not, more users vanished
/// than the overlap covers, and the scan steps back a page and reads again. Users created before the cursor during the
/// walk are new users: the realm's default required action covers them. A user renamed from after the cursor to
/// before it would be passed over by any single walk; the rollout's closing sweep (a second walk) catches those.
/// </remarks>
public sealed class UserScan(KeycloakAdminClient keycloak)
{
    /// <summary>How many already-handled users each page re-reads to prove continuity.</summary>
    public const int Overlap = 5;

    /// <summary>The pages of users after <paramref name="from"/>, each with the cursor to store once it is handled.</summary>
    public async IAsyncEnumerable<ScanPage> PagesAsync(
        string realm, ScanCursor from, int pageSize = KeycloakAdminClient.DefaultPageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pageSize, Overlap);
        var cursor = from;
        var offset = Math.Max(0, from.Offset - Overlap);
        while (true)
        {
            var page = await keycloak.GetUsersAsync(realm, UserQuery.All, offset, pageSize, cancellationToken)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            if (cursor.AfterUsername is { } after && offset > 0 && page.Count > 0 && After(page[0], after))
            {
                // The pages no longer touch: users before the cursor disappeared. Step back and read again.
                offset = Math.Max(0, offset - pageSize + Overlap);
                continue;
            }

            var fresh = cursor.AfterUsername is { } done ? page.Where(user => After(user, done)).ToList() : page;
            if (fresh.Count > 0)
            {
                cursor = new ScanCursor(fresh[^1].Username, offset + page.Count);
                yield return new ScanPage(fresh, cursor);
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            offset += page.Count - Overlap;
        }
    }

    /// <summary>Whether <paramref name="user"/> comes after <paramref name="username"/> in Keycloak's order.</summary>
    private static bool After(UserRepresentation user, string username) =>
        string.CompareOrdinal(user.Username, username) > 0;
}
