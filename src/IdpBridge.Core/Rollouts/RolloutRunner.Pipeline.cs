using System.Threading.Channels;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Core.Rollouts;

public sealed partial class RolloutRunner
{
    /// <summary>One page read, with what its list already tells and the users still to write.</summary>
    private sealed record PreparedPage(ScanCursor Next, List<UserResult> Known, List<UserWrite> ToWrite);

    /// <summary>One page whose users are being written, with what is already known about it.</summary>
    private sealed record PageWork(ScanCursor Next, bool Complete, List<UserResult> Known, List<PendingWrite> Writes, List<string> Abandoned);

    /// <summary>A write in flight; its task gives null when it did not happen for a reason not about the user.</summary>
    private sealed record PendingWrite(UserWrite Write, Task<UserResult?> Result);

    /// <summary>
    /// One run's pipeline: the lister, the starter, the writers and the committer, joined by short queues (see
    /// <c>WalkAsync</c>). The lease is the runner's: it is renewed beside the pipeline, and a lost lease halts it.
    /// </summary>
    private sealed class Pipeline(RolloutRunner runner, Rollout rollout, LeaseOwner executor, IProgress<Rollout>? progress, long throttleChangesBefore)
    {
        private readonly RolloutOptions settings = runner.settings;
        private readonly SemaphoreSlim writers = new(runner.writersAtOnce);

        /// <summary>
        /// The lister and the committer take turns at the store: on SQLite, two writers of one file would meet its
        /// busy handler, which waits far longer than either transaction takes.
        /// </summary>
        private readonly SemaphoreSlim storeTurn = new(1);
        private readonly CancellationTokenSource halt = new();

        /// <summary>Cancelled only when the committer itself fails (the store is down): the other stages then stop at once.</summary>
        private readonly CancellationTokenSource abandon = new();
        private string? failure;

        public Rollout Current { get; private set; } = rollout;

        public async Task<(RunEnd End, RunInterruption? Interruption)> RunAsync(CancellationToken stop)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, halt.Token);
            using var heartbeat = new CancellationTokenSource();
            var renewing = runner.KeepLeaseAsync(Current.Id, executor, halt, heartbeat.Token);
            try
            {
                while (Current.Phase != RolloutPhase.Done)
                {
                    var end = await WalkAsync(linked.Token).ConfigureAwait(false);
                    if (end is RunEnd.Interrupted && failure is not null && Current.Phase == RolloutPhase.Sweep)
                    {
                        await CheckpointAsync([], [], [], RolloutPhase.Sweep, ScanCursor.Start, null).ConfigureAwait(false);
                    }

                    if (end is not null)
                    {
                        return (end.Value, end == RunEnd.Interrupted ? Interruption(stop) : null);
                    }

                    if (Current.Phase == RolloutPhase.Scan)
                    {
                        var total = await runner.keycloak.CountUsersAsync(Current.Realm, cancellationToken: linked.Token).ConfigureAwait(false);
                        var moved = await CheckpointAsync([], [], [], RolloutPhase.Sweep, ScanCursor.Start, total).ConfigureAwait(false);
                        if (moved != CheckpointResult.Stored)
                        {
                            return moved == CheckpointResult.Cancelled ? (RunEnd.Cancelled, null) : (RunEnd.LeaseLost, null);
                        }
                    }
                    else
                    {
                        Current = Current with { Phase = RolloutPhase.Done };
                    }
                }

                return await runner.store.CompleteAsync(Current.Id, executor, runner.time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false)
                    ? (RunEnd.Completed, null)
                    : (RunEnd.LeaseLost, null);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                return (RunEnd.Interrupted, Interruption(stop));
            }
            catch (KeycloakException exception)
            {
                failure ??= Describe(exception);
                return (RunEnd.Interrupted, Interruption(stop));
            }
            finally
            {
                await heartbeat.CancelAsync().ConfigureAwait(false);
                await renewing.ConfigureAwait(false);
            }
        }

        private RunInterruption Interruption(CancellationToken stop) =>
            new(failure, stop.IsCancellationRequested, failure is not null && Current.Phase == RolloutPhase.Sweep);

        /// <summary>
        /// One walk (the current phase) from the stored cursor; null when it reached the end. Three stages run at once,
        /// joined by short queues: the lister reads pages and records their pending writes, the starter hands each user
        /// to a writer as soon as one is free, and the committer stores each page's outcomes in page order. So the
        /// next page is read while this one's writes are in flight, and the writers never wait for a list.
        /// </summary>
        private async Task<RunEnd?> WalkAsync(CancellationToken stop)
        {
            var phase = Current.Phase;
            var prepared = Channel.CreateBounded<PreparedPage>(Math.Max(1, settings.PagesAhead));
            var started = Channel.CreateBounded<PageWork>(Math.Max(1, settings.PagesAhead));
            var lister = Task.Run(() => ListAsync(prepared.Writer, stop), CancellationToken.None);
            var starter = Task.Run(() => StartAsync(prepared.Reader, started.Writer, stop), CancellationToken.None);

            RunEnd? end;
            try
            {
                end = await CommitAsync(started.Reader, phase).ConfigureAwait(false);
            }
            catch
            {
                // The store failed: stop the other stages (what they had in flight stays pending; resume settles it).
                await abandon.CancelAsync().ConfigureAwait(false);
                await halt.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(lister, starter).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                throw;
            }

            await Task.WhenAll(lister, starter).ConfigureAwait(false);
            if (end is null && (stop.IsCancellationRequested || failure is not null))
            {
                end = RunEnd.Interrupted;
            }

            return end;
        }

        /// <summary>The committer: stores each page's outcomes in page order; says why the walk must end, or null.</summary>
        private async Task<RunEnd?> CommitAsync(ChannelReader<PageWork> started, RolloutPhase phase)
        {
            RunEnd? end = null;
            var cursorHeld = false;
            await foreach (var work in started.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                var results = new List<UserResult>(work.Known);
                var revisions = new List<UserRevision>();
                var abandoned = new List<string>(work.Abandoned);
                var complete = work.Complete && !cursorHeld;
                foreach (var pending in work.Writes)
                {
                    if (await pending.Result.ConfigureAwait(false) is { } result)
                    {
                        if (pending.Write.Remarks is null)
                        {
                            results.Add(result);
                        }
                        else if (PageTriage.Revision(pending.Write, result) is { } revision)
                        {
                            revisions.Add(revision);
                        }

                        continue;
                    }

                    complete = false;
                    if (!pending.Write.WasPending && pending.Write.Remarks is null)
                    {
                        abandoned.Add(pending.Write.User.Id!);
                    }
                }

                // The cursor passes a page only once every user of it has an outcome; otherwise resume reads it again.
                var stored = await CheckpointAsync(results, revisions, abandoned, phase, complete ? work.Next : Current.Cursor, null).ConfigureAwait(false);
                if (stored != CheckpointResult.Stored)
                {
                    end ??= stored == CheckpointResult.Cancelled ? RunEnd.Cancelled : RunEnd.LeaseLost;
                    await halt.CancelAsync().ConfigureAwait(false);
                }
                else if (!complete)
                {
                    // Later pages may be complete, but the cursor must not pass this one: record them and stop here.
                    cursorHeld = true;
                    end ??= RunEnd.Interrupted;
                    await halt.CancelAsync().ConfigureAwait(false);
                }
            }

            return end;
        }

        /// <summary>The lister: reads pages, decides what the list already tells, and records the writes to come as pending.</summary>
        private async Task ListAsync(ChannelWriter<PreparedPage> prepared, CancellationToken stop)
        {
            var scan = new UserScan(runner.keycloak);
            try
            {
                await foreach (var page in scan.PagesAsync(Current.Realm, Current.Cursor, settings.PageSize, settings.PagesAhead, stop).ConfigureAwait(false))
                {
                    await prepared.WriteAsync(await PrepareAsync(page, stop).ConfigureAwait(false), abandon.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopping: the pages already prepared are still recorded.
            }
            catch (KeycloakException exception)
            {
                failure ??= Describe(exception);
                await halt.CancelAsync().ConfigureAwait(false);
            }
            finally
            {
                prepared.Complete();
            }
        }

        private async Task<PreparedPage> PrepareAsync(ScanPage page, CancellationToken stop)
        {
            await storeTurn.WaitAsync(stop).ConfigureAwait(false);
            IReadOnlyDictionary<string, UserOutcome?> recorded;
            try
            {
                recorded = await runner.store.GetOutcomesAsync(Current.Id, [.. page.Users.Select(user => user.Id!)], stop).ConfigureAwait(false);
            }
            finally
            {
                storeTurn.Release();
            }

            var (known, toWrite) = PageTriage.Sort(page.Users, recorded, Current.Phase, Current.StartedAt);
            var fresh = toWrite.Where(item => !item.WasPending && item.Remarks is null).Select(item => item.User.Id!).ToList();
            bool leaseHeld;
            await storeTurn.WaitAsync(stop).ConfigureAwait(false);
            try
            {
                leaseHeld = fresh.Count == 0 || await runner.store.RecordPendingAsync(Current.Id, executor, fresh, stop).ConfigureAwait(false);
            }
            finally
            {
                storeTurn.Release();
            }

            if (!leaseHeld)
            {
                await halt.CancelAsync().ConfigureAwait(false);
                throw new OperationCanceledException("The lease was lost.", stop);
            }

            return new PreparedPage(page.Next, known, toWrite);
        }

        /// <summary>
        /// The starter: hands each user to a writer as one frees up. Once stopping, the remaining users of the prepared
        /// pages are passed on as abandoned, so their pending rows are dropped.
        /// </summary>
        private async Task StartAsync(ChannelReader<PreparedPage> prepared, ChannelWriter<PageWork> started, CancellationToken stop)
        {
            try
            {
                await foreach (var page in prepared.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    var writes = new List<PendingWrite>(page.ToWrite.Count);
                    var abandoned = new List<string>();
                    foreach (var write in page.ToWrite)
                    {
                        try
                        {
                            await writers.WaitAsync(stop).ConfigureAwait(false);
                            writes.Add(new PendingWrite(write, WriteAsync(write)));
                        }
                        catch (OperationCanceledException)
                        {
                            if (!write.WasPending && write.Remarks is null)
                            {
                                abandoned.Add(write.User.Id!);
                            }
                        }
                    }

                    var complete = writes.Count == page.ToWrite.Count;
                    await started.WriteAsync(new PageWork(page.Next, complete, page.Known, writes, abandoned), abandon.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                started.Complete();
            }
        }

        /// <summary>Adds the action from a fresh read of the user; null when the write did not happen for a reason not about the user.</summary>
        private async Task<UserResult?> WriteAsync(UserWrite write)
        {
            try
            {
                return await TermsMarking.MarkAsync(runner.keycloak, Current.Realm, write.User, Current.StartedAt, write.WasPending, CancellationToken.None)
                    .ConfigureAwait(false);
            }
            catch (KeycloakException exception)
            {
                failure ??= Describe(exception);
                await halt.CancelAsync().ConfigureAwait(false);
                return null;
            }
            finally
            {
                writers.Release();
            }
        }

        /// <summary>
        /// Stores a page: the revisions of final rows (the sweep's re-marks) first, then the results, the cursor and the
        /// counts. A crash between the two leaves the cursor before the page: the re-marked users are found carrying the
        /// action on resume and nothing is written twice.
        /// </summary>
        private async Task<CheckpointResult> CheckpointAsync(
            IReadOnlyList<UserResult> results, IReadOnlyList<UserRevision> revisions, IReadOnlyCollection<string> abandoned, RolloutPhase phase,
            ScanCursor cursor, long? usersTotal)
        {
            await storeTurn.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            var now = runner.time.GetUtcNow();
            var inFlight = runner.InFlightNow(throttleChangesBefore);
            CheckpointResult stored;
            var revised = RolloutCounts.Zero;
            try
            {
                if (revisions.Count > 0 && await runner.store.RenewLeaseAsync(Current.Id, executor, now, now + settings.LeaseDuration, CancellationToken.None)
                    .ConfigureAwait(false))
                {
                    await runner.store.ReviseAsync(Current.Id, revisions, now, CancellationToken.None).ConfigureAwait(false);
                    revised = revisions.Aggregate(revised, (sum, revision) =>
                        sum.Move(revision.Was, revision.Result.Outcome) with { Remarked = sum.Remarked + (revision.Remark ? 1 : 0) });
                }

                stored = await runner.store.CheckpointAsync(
                    Current.Id, executor, results, abandoned, phase, cursor, usersTotal, now, now + settings.LeaseDuration, inFlight, CancellationToken.None)
                    .ConfigureAwait(false);
            }
            finally
            {
                storeTurn.Release();
            }

            if (stored != CheckpointResult.LeaseLost)
            {
                var counts = results.Aggregate(Current.Counts.Plus(revised), (sum, result) => sum.Add(result.Outcome));
                Current = Current with
                {
                    Phase = phase, Cursor = cursor, Counts = counts, UsersTotal = usersTotal ?? Current.UsersTotal, UpdatedAt = now, InFlight = inFlight,
                    Status = stored == CheckpointResult.Cancelled ? RolloutStatus.Cancelled : Current.Status,
                };
                progress?.Report(Current);
            }

            return stored;
        }

        // A 403's own message names the realm-management role the client lacks: the one fact the administrator needs.
        private static string Describe(KeycloakException exception) =>
            exception.StatusCode is { } status && exception.MissingRole is null
                ? $"Keycloak answered {(int)status} to {exception.Method} {exception.Path}{(exception.KeycloakError is { } error ? $" ({error})" : "")}"
                : exception.Message.TrimEnd('.');
    }
}
