using System.Runtime.CompilerServices;
using IdpBridge.Keycloak.Http;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Keycloak;

public sealed partial class KeycloakAdminClient
{
    /// <summary>Keycloak's default page size for user lists.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>
    /// Every user matching <paramref name="query"/>, page after page (<c>first</c>/<c>max</c>), ordered by
    /// username as Keycloak orders them. Memory stays at one item at a time whatever the realm's size.
    /// Offset paging is not a snapshot: users created, renamed or deleted during the walk shift later pages.
    /// </summary>
    public async IAsyncEnumerable<UserRepresentation> StreamUsersAsync(
        string realm,
        UserQuery? query = null,
        int pageSize = DefaultPageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        for (var first = 0; ; first += pageSize)
        {
            var count = 0;
            await foreach (var user in GetUsersAsync(realm, query, first, pageSize, cancellationToken).ConfigureAwait(false))
            {
                count++;
                yield return user;
            }

            if (count < pageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>One page of users (<c>GET /users?first=&amp;max=</c>), streamed as it is parsed.</summary>
    public IAsyncEnumerable<UserRepresentation> GetUsersAsync(
        string realm, UserQuery? query, int first, int max, CancellationToken cancellationToken = default)
    {
        query ??= UserQuery.All;
        var path = KeycloakPath.Realm(realm, "users").WithQuery(
        [
            ("briefRepresentation", query.BriefRepresentation),
            ("first", first),
            ("max", max),
            .. Filters(query),
        ]);
        return GetArrayAsync<UserRepresentation>(path, cancellationToken);
    }

    /// <summary>How many users match (<c>GET /users/count</c>, the same filters as the list).</summary>
    public Task<int> CountUsersAsync(string realm, UserQuery? query = null, CancellationToken cancellationToken = default)
    {
        var path = KeycloakPath.Realm(realm, "users", "count").WithQuery(Filters(query ?? UserQuery.All));
        return GetAsync<int>(path, cancellationToken);
    }

    /// <summary>One user, full representation; null when no such user exists.</summary>
    public Task<UserRepresentation?> FindUserAsync(string realm, string userId, CancellationToken cancellationToken = default) =>
        FindAsync<UserRepresentation>(KeycloakPath.Realm(realm, "users", userId).ToString(), cancellationToken);

    /// <summary>Creates a user and returns its id (409 <see cref="KeycloakException"/> when the username is taken).</summary>
    public Task<string> CreateUserAsync(string realm, UserRepresentation user, CancellationToken cancellationToken = default) =>
        CreateAsync(KeycloakPath.Realm(realm, "users").ToString(), user, cancellationToken);

    /// <summary>
    /// Sends <paramref name="user"/> as the new state of the user (<c>PUT /users/{id}</c>). Every field present is
    /// applied: with <see cref="UserRepresentation.Attributes"/> the whole attribute set is replaced, with
    /// <see cref="UserRepresentation.RequiredActions"/> the whole set of actions. Not retried automatically.
    /// </summary>
    public Task UpdateUserAsync(string realm, string userId, UserRepresentation user, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Put, KeycloakPath.Realm(realm, "users", userId).ToString(), user, retrySafe: false, cancellationToken);

    /// <summary>
    /// Adds <paramref name="action"/> to the user's required actions and keeps the others. Keycloak has no PATCH
    /// and its PUT replaces the whole set, so this reads the user and, right after, PUTs a body holding only
    /// <c>requiredActions</c> (current ones plus the new one): no attribute, name or email is ever sent, so none
    /// can be lost. <paramref name="condition"/> is asked about the user as just read (e.g. "has not accepted since
    /// the rollout began"); when it says no, nothing is written. Keycloak offers no concurrency check: a change to
    /// the user's actions between the read and the write is overwritten (last writer wins).
    /// </summary>
    public async Task<RequiredActionResult> AddRequiredActionAsync(
        string realm,
        string userId,
        string action,
        Func<UserRepresentation, bool>? condition = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        var path = KeycloakPath.Realm(realm, "users", userId).ToString();
        var user = await GetAsync<UserRepresentation>(path, cancellationToken).ConfigureAwait(false);
        var current = user.RequiredActions ?? [];
        if (current.Contains(action, StringComparer.Ordinal))
        {
            return new RequiredActionResult(RequiredActionChange.AlreadyPresent, user);
        }

        if (condition is not null && !condition(user))
        {
            return new RequiredActionResult(RequiredActionChange.Skipped, user);
        }

        // The body replaces the set with a fixed list: sending it twice leaves the same state, so it may be retried.
        await WriteAsync(HttpMethod.Put, path, new RequiredActionsUpdate([.. current, action]), retrySafe: true, cancellationToken)
            .ConfigureAwait(false);
        return new RequiredActionResult(RequiredActionChange.Added, user);
    }

    /// <summary>
    /// Removes <paramref name="action"/> from the user's required actions and keeps the others: the same read and
    /// <c>requiredActions</c>-only PUT as <see cref="AddRequiredActionAsync"/>, with the same last-writer-wins caveat.
    /// </summary>
    public async Task<RequiredActionResult> RemoveRequiredActionAsync(string realm, string userId, string action, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        var path = KeycloakPath.Realm(realm, "users", userId).ToString();
        var user = await GetAsync<UserRepresentation>(path, cancellationToken).ConfigureAwait(false);
        var current = user.RequiredActions ?? [];
        if (!current.Contains(action, StringComparer.Ordinal))
        {
            return new RequiredActionResult(RequiredActionChange.AlreadyAbsent, user);
        }

        await WriteAsync(HttpMethod.Put, path, new RequiredActionsUpdate([.. current.Where(other => other != action)]), retrySafe: true, cancellationToken)
            .ConfigureAwait(false);
        return new RequiredActionResult(RequiredActionChange.Removed, user);
    }

    private static (string Name, object? Value)[] Filters(UserQuery query) =>
    [
        ("search", query.Search),
        ("username", query.Username),
        ("email", query.Email),
        ("firstName", query.FirstName),
        ("lastName", query.LastName),
        ("exact", query.Exact),
        ("enabled", query.Enabled),
        ("emailVerified", query.EmailVerified),
        ("q", query.AttributeQuery),
    ];

    /// <summary>The only body IdpBridge sends to change a user's required actions.</summary>
    internal sealed record RequiredActionsUpdate(IReadOnlyList<string> RequiredActions);
}
