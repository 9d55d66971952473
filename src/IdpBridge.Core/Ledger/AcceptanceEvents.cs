using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IdpBridge.Core.Policies;
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
    /// <remarks>
    /// An event of IdpBridge's bridge (<c>idpbridge-terms</c>) names the policy, version, hash, decision and locale itself
    /// (<see cref="BridgeEventDetails"/>); one of Keycloak's own terms action names none, and the version is the one in
    /// force at the event's time (<paramref name="versions"/>), acknowledged rather than accepted when that version is a
    /// notice.
    /// </remarks>
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
        var at = DateTimeOffset.FromUnixTimeMilliseconds(keycloakEvent.Time);
        var decided = BridgeEventDetails.IsBridge(details)
            ? FromBridge(keycloakEvent, details!, policy)
            : FromBuiltIn(keycloakEvent, details, at, policy, versions, registrationAcceptsTerms);
        if (decided is not { } found)
        {
            return null;
        }

        string? username = null;
        details?.TryGetValue("username", out username);
        return new AcceptanceRecord(
            realm, keycloakEvent.UserId, username, found.Policy, found.Version, found.Hash, found.Decision, at,
            keycloakEvent.ClientId, keycloakEvent.IpAddress, found.Source, Key(keycloakEvent), keycloakEvent.Id, found.Locale)
        {
            RecordedAt = recordedAt,
        };
    }

    /// <summary>The decision on a version inferred from the time (Keycloak's own action): a notice is acknowledged, not accepted.</summary>
    internal static AcceptanceDecision Inferred(AcceptanceDecision decision, PolicyVersion? version) =>
        decision == AcceptanceDecision.Accepted && version?.Kind == PolicyVersionKind.Notice ? AcceptanceDecision.Acknowledged : decision;

    private static Decided? FromBridge(EventRepresentation keycloakEvent, IReadOnlyDictionary<string, string> details, string policy)
    {
        var success = keycloakEvent.Type switch
        {
            "CUSTOM_REQUIRED_ACTION" => true,
            "CUSTOM_REQUIRED_ACTION_ERROR" when keycloakEvent.Error == RejectedByUser => false,
            _ => (bool?)null,
        };
        if (success is not { } succeeded || BridgeEventDetails.Read(details, succeeded) is not { Decision: { } decision } read)
        {
            return null;
        }

        return new Decided(decision, AcceptanceSource.Event, read.Policy ?? policy, read.Version, read.Sha256, read.Locale);
    }

    private static Decided? FromBuiltIn(
        EventRepresentation keycloakEvent, IReadOnlyDictionary<string, string>? details, DateTimeOffset at, string policy, VersionTimeline versions, bool registrationAcceptsTerms)
    {
        string? action = null;
        details?.TryGetValue(BridgeEventDetails.ActionDetail, out action);
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

        var version = versions.At(at);
        return new Decided(Inferred(found.Decision, version), found.Source, policy, version?.Number, version?.ContentHash);
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

    // Locale: only the bridge's event names the page's language; Keycloak's own step, a registration and a timestamp do not.
    private readonly record struct Decided(AcceptanceDecision Decision, AcceptanceSource Source, string Policy, int? Version, string? Hash, string? Locale = null);
}
