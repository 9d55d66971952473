namespace Tuned;

/// <summary>Takes TERMS_AND_CONDITIONS off every user who carries it, keeping their other actions: the realm as seeded again.</summary>
internal static class Reset
{
    private const int PageSize = 500;

    /// <summary>Returns how many users it changed.</summary>
    public static async Task<int> RunAsync(AdminSession session, string realm, int concurrency)
    {
        var marked = new List<UserActions>();
        for (var first = 0; ; first += PageSize)
        {
            var page = await UserActions.PageAsync(session, realm, first, PageSize);
            marked.AddRange(page.Where(user => user.Actions.Contains(UserActions.Terms)));
            if (page.Count < PageSize)
            {
                break;
            }
        }

        await Parallel.ForEachAsync(marked, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (user, _) =>
        {
            using var put = await session.SendAsync(
                HttpMethod.Put, UserActions.UserPath(realm, user.Id), UserActions.Body(user.Actions.Where(action => action != UserActions.Terms)));
        });
        return marked.Count;
    }
}
