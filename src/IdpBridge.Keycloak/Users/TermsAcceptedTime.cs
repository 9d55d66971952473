namespace IdpBridge.Keycloak.Users;

/// <summary>
/// Keycloak's <c>terms_and_conditions</c> user attribute holds the time of the answer in whole seconds, truncated: an
/// answer stored as the second in which something happened part-way through may have come before it.
/// </summary>
public static class TermsAcceptedTime
{
    /// <summary>
    /// The first whole second whose stored answers surely came at or after <paramref name="instant"/>: the instant
    /// itself when it is a whole second, else the next one. Counting from it asks a user once more rather than taking
    /// an earlier answer (the previous version's) as consent.
    /// </summary>
    public static DateTimeOffset FirstCountedSecond(DateTimeOffset instant)
    {
        var fraction = instant.UtcTicks % TimeSpan.TicksPerSecond;
        return fraction == 0 ? instant : instant.AddTicks(TimeSpan.TicksPerSecond - fraction);
    }
}
