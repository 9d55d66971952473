namespace IdpBridge.Core.Storage;

/// <summary>How the stores keep time.</summary>
internal static class StoreTime
{
    /// <summary>Times are kept to the millisecond: what is stored is what a reader gets back, on both providers.</summary>
    public static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
