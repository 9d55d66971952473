using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace Tuned;

/// <summary>
/// Marks a slice of the realm's users with TERMS_AND_CONDITIONS at a given concurrency, with the fewest requests: full
/// list pages of 100 read one after another (the next while the workers write), then per user either GET and PUT (what
/// IdpBridge sends) or the PUT alone, built from the page's actions. With <c>sweep</c>, the slice's pages are then read
/// once more, <c>concurrency</c> at a time: the second walk IdpBridge's closing sweep makes, so every request it sends.
/// </summary>
internal sealed class Marker(AdminSession session, string realm, bool readFirst, bool sweep)
{
    private const int PageSize = 100;

    private int requests;

    /// <summary>Requests sent so far.</summary>
    public int Requests => requests;

    /// <summary>Marks users [<paramref name="first"/>, first + <paramref name="count"/>) with <paramref name="concurrency"/> workers; returns the seconds it took.</summary>
    public async Task<double> MarkAsync(int first, int count, int concurrency)
    {
        var queue = Channel.CreateBounded<UserActions>(new BoundedChannelOptions(2 * PageSize) { SingleWriter = true });
        var clock = Stopwatch.StartNew();
        var pager = Task.Run(async () =>
        {
            try
            {
                for (var offset = first; offset < first + count; offset += PageSize)
                {
                    var page = await UserActions.PageAsync(session, realm, offset, Math.Min(PageSize, first + count - offset));
                    Interlocked.Increment(ref requests);
                    foreach (var user in page)
                    {
                        await queue.Writer.WriteAsync(user);
                    }
                }

                queue.Writer.Complete();
            }
            catch (Exception exception)
            {
                queue.Writer.Complete(exception);
                throw;
            }
        });
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync)).ToList();
        await Task.WhenAll(workers.Append(pager));
        if (sweep)
        {
            var offsets = Enumerable.Range(0, (count + PageSize - 1) / PageSize).Select(page => first + (page * PageSize));
            await Parallel.ForEachAsync(offsets, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (offset, _) =>
            {
                await UserActions.PageAsync(session, realm, offset, Math.Min(PageSize, first + count - offset));
                Interlocked.Increment(ref requests);
            });
        }

        return clock.Elapsed.TotalSeconds;

        async Task WorkAsync()
        {
            await foreach (var listed in queue.Reader.ReadAllAsync())
            {
                var actions = listed.Actions;
                var path = UserActions.UserPath(realm, listed.Id);
                if (readFirst)
                {
                    using var user = await session.GetJsonAsync(path);
                    actions = UserActions.ActionsOf(user.RootElement);
                    Interlocked.Increment(ref requests);
                }

                if (!actions.Contains(UserActions.Terms))
                {
                    using var put = await session.SendAsync(HttpMethod.Put, path, UserActions.Body([.. actions, UserActions.Terms]));
                    Interlocked.Increment(ref requests);
                }
            }
        }
    }

    /// <summary>
    /// One line per level, e.g. <c>tuned getput concurrency=8 users=700 seconds=1.913 requests=1407 cpu=0.41 server_cpu=2.10</c>
    /// (CPU seconds of this client and of the server during the level).
    /// </summary>
    public static string Line(string mode, int concurrency, int users, double seconds, int requests, double cpu, double serverCpu) =>
        string.Create(CultureInfo.InvariantCulture,
            $"tuned {mode} concurrency={concurrency} users={users} seconds={seconds:F3} requests={requests} cpu={cpu:F2} server_cpu={serverCpu:F2}");
}
