using System.Diagnostics;
using System.Globalization;

namespace IdpBridge.Core.Rollouts;

/// <summary>
/// The executor that holds, or asks for, a rollout's lease. IdpBridge names each run <c>host/pid/nonce</c>, so that a
/// lease left by a dead process of this machine is recognised (<see cref="IsDeadLocalProcess"/>); the store only
/// compares owners, so one read back may carry any name.
/// </summary>
public readonly record struct LeaseOwner
{
    /// <summary>An owner by the name stored in the rollout's row.</summary>
    /// <param name="value">The name (<c>host/pid/nonce</c> for IdpBridge's own runs).</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null or empty.</exception>
    public LeaseOwner(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
    }

    /// <summary>The name stored in the rollout's row.</summary>
    public string Value { get; }

    /// <summary>
    /// A new executor in this process. Each run is its own executor, so two runs in one process never share a lease;
    /// the nonce tells them apart.
    /// </summary>
    public static LeaseOwner ForNewRun() =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>
    /// Whether this owner is a process of this machine that no longer runs (a crash or <c>kill -9</c>): its lease can
    /// be taken at once instead of after it expires.
    /// </summary>
    internal bool IsDeadLocalProcess()
    {
        var parts = Value?.Split('/');
        if (parts is not { Length: 3 }
            || !string.Equals(parts[0], Environment.MachineName, StringComparison.Ordinal)
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid)
            || pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>The stored name, as messages show it.</summary>
    public override string ToString() => Value ?? "";
}
