using System.Globalization;
using IdpBridge.Core.Rollouts;

namespace IdpBridge.Cli.Rollouts;

/// <summary>
/// Shows a running rollout on standard error: on a terminal, one bar redrawn in place (done/total, rate, ETA, counts);
/// otherwise (CI, a pipe, a log file) a plain line every few seconds and at each phase change. Standard output stays
/// free for the result (and <c>--output json</c>).
/// </summary>
internal sealed class RolloutProgressPrinter(TextWriter error, bool terminal, TimeProvider time) : IProgress<Rollout>
{
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PlainLineEvery = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private DateTimeOffset lastShown = DateTimeOffset.MinValue;
    private RolloutPhase? lastPhase;
    private (RolloutPhase Phase, long Done, DateTimeOffset At)? phaseStart;
    private bool barDrawn;

    public void Report(Rollout value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (gate)
        {
            var now = time.GetUtcNow();
            var phaseChanged = lastPhase != value.Phase;
            if (!phaseChanged && now - lastShown < (terminal ? RedrawEvery : PlainLineEvery))
            {
                return;
            }

            if (phaseChanged && phaseStart?.Phase != value.Phase)
            {
                phaseStart = (value.Phase, Done(value), now);
            }

            lastShown = now;
            lastPhase = value.Phase;
            var line = Line(value, now);
            if (terminal)
            {
                error.Write($"\r{line}\u001b[K");
                barDrawn = true;
            }
            else
            {
                error.WriteLine(line);
            }
        }
    }

    /// <summary>Ends the bar's line so later output starts on a fresh one.</summary>
    public void Finish()
    {
        lock (gate)
        {
            if (barDrawn)
            {
                error.WriteLine();
                barDrawn = false;
            }
        }
    }

    /// <summary>Users walked in the current phase (the cursor's offset: users come and go, so this is close, not exact).</summary>
    private static long Done(Rollout rollout) => rollout.Phase == RolloutPhase.Scan ? rollout.Counts.Scanned : rollout.Cursor.Offset;

    private string Line(Rollout rollout, DateTimeOffset now)
    {
        var done = Done(rollout);
        var total = Math.Max(rollout.UsersTotal ?? done, done);
        // The rate of this run in this phase (a resumed rollout's earlier users do not count).
        var (since, elapsed) = phaseStart is { } start && start.Phase == rollout.Phase
            ? (done - start.Done, (now - start.At).TotalSeconds)
            : (0, 0);
        var rate = elapsed > 0.5 ? since / elapsed : 0;
        var eta = rate > 0 ? TimeSpan.FromSeconds(Math.Ceiling((total - done) / rate)) : (TimeSpan?)null;
        var share = total == 0 ? 1 : (double)done / total;
        var label = rollout.Phase switch
        {
            RolloutPhase.Scan => "marking",
            RolloutPhase.Sweep => "closing sweep",
            _ => "done",
        };
        var counts = rollout.Counts;
        var numbers = string.Format(
            CultureInfo.InvariantCulture,
            "{0} {1:N0}/{2:N0} users {3,4:P0}  {4:N0}/s  ETA {5}  marked {6:N0} · already pending {7:N0} · already accepted {8:N0} · skipped {9:N0} · failed {10:N0}",
            label, done, total, share, rate, eta is { } left ? left.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "--:--:--",
            counts.Marked, counts.AlreadyPending, counts.AlreadyAccepted, counts.Skipped, counts.Failed);
        if (!terminal)
        {
            return numbers;
        }

        const int Width = 24;
        var filled = (int)Math.Round(share * Width);
        return $"[{new string('#', filled)}{new string('-', Width - filled)}] {numbers}";
    }
}
