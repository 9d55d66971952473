using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IdpBridge.Keycloak.Events;

namespace IdpBridge.Core.Ledger;

/// <summary>Which Keycloak events are decisions on the terms, and the record each one becomes.</summary>
public static class AcceptanceEvents
{
    /// <summary>The terms action's alias, as events name it in <c>details.custom_required_action</c>.</summary>
    public const string TermsAction = "TERMS_AND_CONDITIONS";

    /// <summary>The error of a declined terms step (<c>Errors.REJECTED_BY_USER</c>).</summary>
    public const string RejectedByUser = "rejected_by_user";

    /// <summary>The event types a sync asks Keycloak for.</summary>
    public static IReadOnlyList<string> Types { get; } = ["CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR", "REGISTER"];

    /// <summary>
    /// The record <paramref name="keycloakEvent"/> stands for, or null when it is no decision on the terms (another
    /// required action, another error, a registration of a realm without the terms checkbox, no user). Its username is
    /// the event's <c>details.username</c>, the login as typed: <see cref="LedgerSync"/> replaces it with the username.
    /// </summary>
    public static AcceptanceRecord? ToRecord(
        EventRepresentation keycloakEvent, string realm, string policy, VersionTimeline versions, bool registrationAcceptsTerms, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(keycloakEvent);
        ArgumentNullException.ThrowIfNull(versions);
        if (string.IsNullOrEmpty(keycloakEvent.UserId))
        {
            return null;
        }

        var details = keycloakEvent.Details;
        string? action = null;
        details?.TryGetValue("custom_required_action", out action);
        (AcceptanceDecision Decision, AcceptanceSource Source)? meaning = keycloakEvent.Type switch
        {
            "CUSTOM_REQUIRED_ACTION" when action == TermsAction => (AcceptanceDecision.Accepted, AcceptanceSource.Event),
            "CUSTOM_REQUIRED_ACTION_ERROR" when action == TermsAction && keycloakEvent.Error == RejectedByUser => (AcceptanceDecision.Declined, AcceptanceSource.Event),
            "REGISTER" when registrationAcceptsTerms => (AcceptanceDecision.Accepted, AcceptanceSource.Registration),
            _ => null,
        };
        if (meaning is not { } found)
        {
            return null;
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(keycloakEvent.Time);
        var version = versions.At(at);
        string? username = null;
        details?.TryGetValue("username", out username);
        return new AcceptanceRecord(
            realm, keycloakEvent.UserId, username, policy, version?.Number, version?.ContentHash, found.Decision, at,
            keycloakEvent.ClientId, keycloakEvent.IpAddress, found.Source, Key(keycloakEvent), keycloakEvent.Id)
        {
            RecordedAt = recordedAt,
        };
    }

    /// <summary>
    /// The de-duplication key of an event: <c>e:</c>, its time (12 hex digits of epoch milliseconds) and 128 bits of
    /// SHA-256 over its content (time, type, client, user, session, address, error, details sorted). Not Keycloak's
    /// <c>id</c>: that exists only from 26.4, and a key that changed with an upgrade would record the events read on
    /// both sides of it twice. The time comes first so that keys arrive in index order: each append touches the end of
    /// the unique index instead of a random page of it.
    /// </summary>
    public static string Key(EventRepresentation keycloakEvent)
    {
        ArgumentNullException.ThrowIfNull(keycloakEvent);
        var text = new StringBuilder(256);
        text.Append(keycloakEvent.Time).Append('\u001f')
            .Append(keycloakEvent.Type).Append('\u001f')
            .Append(keycloakEvent.ClientId).Append('\u001f')
            .Append(keycloakEvent.UserId).Append('\u001f')
            .Append(keycloakEvent.SessionId).Append('\u001f')
            .Append(keycloakEvent.IpAddress).Append('\u001f')
            .Append(keycloakEvent.Error);
        if (keycloakEvent.Details is { } details)
        {
            foreach (var (name, value) in details.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                text.Append('\u001f').Append(name).Append('=').Append(value);
            }
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return string.Create(CultureInfo.InvariantCulture, $"e:{keycloakEvent.Time:x12}:")
            + Convert.ToBase64String(hash[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The key of an acceptance learned from a user's <c>terms_and_conditions</c> seconds.</summary>
    public static string TimestampKey(string userId, DateTimeOffset acceptedAt) =>
        FormattableString.Invariant($"t:{userId}:{acceptedAt.ToUnixTimeSeconds()}");
}
