using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core.Ledger;

/// <summary>
/// A policy's versions in memory, answering "which version was in force at t" with the store's own rule
/// (<see cref="IPolicyStore.GetEffectiveAsync"/>: the highest number whose <c>EffectiveAt</c> is at or before t, to the
/// millisecond) without a query per event.
/// </summary>
public sealed class VersionTimeline
{
    private readonly PolicyVersion[] versions;

    /// <summary>A timeline of <paramref name="versions"/> (any order).</summary>
    public VersionTimeline(IEnumerable<PolicyVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        this.versions = [.. versions.OrderByDescending(version => version.Number)];
    }

    /// <summary>The version in force at <paramref name="at"/>; null before the first one took effect.</summary>
    public PolicyVersion? At(DateTimeOffset at)
    {
        var instant = StoreTime.TruncateToMilliseconds(at);
        return Array.Find(versions, version => version.EffectiveAt <= instant);
    }
}
