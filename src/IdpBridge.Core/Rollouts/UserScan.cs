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

    /// <summary>
    /// The pages of users after <paramref name="from"/>, each with the cursor to store once it is handled.
    /// <paramref name="readAhead"/> more pages are requested while one is awaited, at the offsets they have when every
    /// page is full (as all but the last are): a walk is then not one page read after another, which is what bounds a
    /// sweep or a rollout whose users are mostly done. A page read ahead is a snapshot like any other, so continuity
    /// is checked on each as it is taken; when the pages stop touching, the reads ahead are dropped and read again.
    /// </summary>
    public async IAsyncEnumerable<ScanPage> PagesAsync(
        string realm,
        ScanCursor from,
        int pageSize = KeycloakAdminClient.DefaultPageSize,
        int readAhead = 0,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pageSize, Overlap);
        ArgumentOutOfRangeException.ThrowIfNegative(readAhead);
        var cursor = from;
        var offset = Math.Max(0, from.Offset - Overlap);
        var stride = pageSize - Overlap;

        // reads[i] is the page at offset + i * stride; the reads ahead are cancelled when the walk stops before the end.
        var reads = new Queue<Task<List<UserRepresentation>>>();
        using var ahead = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var answered = false;
            while (true)
            {
                // The first page is read alone: after an outage it is the one request a half-open circuit lets through.
                while (reads.Count <= (answered ? readAhead : 0))
                {
                    reads.Enqueue(ReadAsync(realm, offset + (reads.Count * stride), pageSize, ahead.Token));
                }

                var page = await reads.Dequeue().ConfigureAwait(false);
                answered = true;
                if (cursor.AfterUsername is { } after && offset > 0 && (page.Count == 0 || After(page[0], after)))
                {
                    // The pages no longer touch: users before the cursor disappeared (all the overlap, when the page is
                    // empty: users after the cursor may still be there, shifted before this offset). Step back and read again.
                    offset = Math.Max(0, offset - pageSize + Overlap);
                    await DropAsync(reads).ConfigureAwait(false);
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
                    // The end: the reads ahead find nobody, and are let finish, so every walk sends the same requests.
                    await DropAsync(reads).ConfigureAwait(false);
                    yield break;
                }

                offset += stride;
            }
        }
        finally
        {
            await ahead.CancelAsync().ConfigureAwait(false);
            await DropAsync(reads).ConfigureAwait(false);
        }
    }

    private Task<List<UserRepresentation>> ReadAsync(string realm, int offset, int pageSize, CancellationToken cancellationToken) =>
        keycloak.GetUsersAsync(realm, UserQuery.All, offset, pageSize, cancellationToken).ToListAsync(cancellationToken).AsTask();

    /// <summary>Waits out the reads ahead that are no longer wanted: whatever they end with, nobody needs it.</summary>
    private static async Task DropAsync(Queue<Task<List<UserRepresentation>>> reads)
    {
        while (reads.TryDequeue(out var read))
        {
            try
            {
                await read.ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or KeycloakException or HttpRequestException)
            {
                // Not needed: the page is read again if it is.
            }
        }
    }

    /// <summary>Whether <paramref name="user"/> comes after <paramref name="username"/> in Keycloak's order.</summary>
    private static bool After(UserRepresentation user, string username) =>
        string.CompareOrdinal(user.Username, username) > 0;
}
