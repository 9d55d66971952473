using System.Text.Json;
using IdpBridge.Core.Ledger;
using IdpBridge.Core.Policies;
using IdpBridge.Keycloak.Events;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

/// <summary>
/// Which record each terms event becomes. The bridge's events are as Keycloak 26.7.3 returns them from
/// <c>GET /admin/realms/{r}/events</c> (read from the real server, <c>BridgeLedgerTests</c>): the version and hash
/// come from their details, never from the time.
/// </summary>
public sealed class AcceptanceEventsTests
{
    private const string V2Hash = "dbc1b4c900ffe48d575b5da5c638040125f65db0fe3e24494b76ea986457d986";
    private static readonly DateTimeOffset Recorded = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    // Versions 1-3 material, 4 a notice, all in force long before the events: time alone would say "version 4".
    private static readonly VersionTimeline Versions = new(
    [
        Version(1, PolicyVersionKind.Material, "hash-1", new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero)),
        Version(2, PolicyVersionKind.Material, V2Hash, new DateTimeOffset(2026, 7, 2, 0, 0, 0, TimeSpan.Zero)),
        Version(4, PolicyVersionKind.Notice, "hash-4", new DateTimeOffset(2026, 7, 4, 0, 0, 0, TimeSpan.Zero)),
    ]);

    [Test]
    public void ToRecord_BridgeAccept_ExactVersionHashAndPolicyFromTheDetails()
    {
        var record = Map(BridgeEvent("CUSTOM_REQUIRED_ACTION", null, "2", V2Hash, "material", "accepted"));

        Assert.That(record, Is.EqualTo(new AcceptanceRecord(
            "externos", "63ca5624-9acd-4545-82d0-ed6fa45fb11b", "ana.d74bb1ca@example.org", "privacy", 2, V2Hash, AcceptanceDecision.Accepted,
            DateTimeOffset.FromUnixTimeMilliseconds(1796146625665), "demo-app", "127.0.0.1", AcceptanceSource.Event,
            AcceptanceEvents.Key(BridgeEvent("CUSTOM_REQUIRED_ACTION", null, "2", V2Hash, "material", "accepted")), "440bf7b2-a7e5-4cd2-ac23-61ba2d2b6c8d")
        {
            RecordedAt = Recorded,
        }));
    }

    [Test]
    public void ToRecord_BridgeDecline_DeclinedWithTheVersionShown()
    {
        var record = Map(BridgeEvent("CUSTOM_REQUIRED_ACTION_ERROR", "rejected_by_user", "2", V2Hash, "material", "declined"))!;

        Assert.That((record.Decision, record.VersionNumber, record.ContentHash, record.Source),
            Is.EqualTo((AcceptanceDecision.Declined, (int?)2, (string?)V2Hash, AcceptanceSource.Event)));
    }

    [Test]
    public void ToRecord_BridgeNoticeContinue_Acknowledged()
    {
        var record = Map(BridgeEvent("CUSTOM_REQUIRED_ACTION", null, "4", "b".PadLeft(64, 'a'), "notice", "acknowledged"))!;

        Assert.That((record.Decision, record.VersionNumber, record.ContentHash), Is.EqualTo((AcceptanceDecision.Acknowledged, (int?)4, (string?)"b".PadLeft(64, 'a'))));
    }

    [Test]
    public void ToRecord_BridgeEventOfAnotherPolicy_KeepsThePolicyItNames()
    {
        var record = Map(BridgeEvent("CUSTOM_REQUIRED_ACTION", null, "1", V2Hash, "material", "accepted", policy: "terms-of-use"))!;

        Assert.That(record.Policy, Is.EqualTo("terms-of-use"));
    }

    [TestCase("two", V2Hash, TestName = "ToRecord_BridgeVersionNotANumber_NoVersionNeverOneFromTheTime")]
    [TestCase("0", V2Hash, TestName = "ToRecord_BridgeVersionZero_NoVersionNeverOneFromTheTime")]
    [TestCase("2", "DBC1", TestName = "ToRecord_BridgeHashMalformed_NoVersionNeverOneFromTheTime")]
    [TestCase(null, V2Hash, TestName = "ToRecord_BridgeVersionAbsent_NoVersionNeverOneFromTheTime")]
    public void ToRecord_BridgeDetailsUnreadable_RecordedWithoutVersion(string? version, string hash)
    {
        var record = Map(BridgeEvent("CUSTOM_REQUIRED_ACTION", null, version, hash, "material", "accepted"))!;

        Assert.That((record.Decision, record.VersionNumber, record.ContentHash), Is.EqualTo((AcceptanceDecision.Accepted, (int?)null, (string?)null)));
    }

    [TestCase("CUSTOM_REQUIRED_ACTION", null, "declined", TestName = "ToRecord_BridgeSuccessEventSayingDeclined_NoRecord")]
    [TestCase("CUSTOM_REQUIRED_ACTION_ERROR", "rejected_by_user", "accepted", TestName = "ToRecord_BridgeErrorEventSayingAccepted_NoRecord")]
    [TestCase("CUSTOM_REQUIRED_ACTION_ERROR", "invalid_code", "declined", TestName = "ToRecord_BridgeErrorOtherThanRejected_NoRecord")]
    public void ToRecord_BridgeEventContradictingItself_IsNoDecision(string type, string? error, string decision) =>
        Assert.That(Map(BridgeEvent(type, error, "2", V2Hash, "material", decision)), Is.Null);

    [Test]
    public void ToRecord_EventsOfASpanishSignInAsKeycloak2673ReturnedThem_BridgeNamesEsBuiltInNone()
    {
        // Verbatim from GET /admin/realms/{r}/events in BridgeProofTests (ui_locales=es): the bridge's acceptance, then
        // one on Keycloak's own TERMS_AND_CONDITIONS step by another user, also in Spanish.
        var bridge = Parse("""
            {"id":"5f16306e-b4d1-4eff-ac94-2ed4ffdc2f9b","time":1796180550887,"type":"CUSTOM_REQUIRED_ACTION","realmId":"bfdfcd4f-d5d6-440c-8433-a8e6fcc77bc5",
             "clientId":"demo-app","userId":"a9d01ac5-885b-4966-abff-c71ba3101f71","ipAddress":"127.0.0.1",
             "details":{"sha256":"1ecb62e963d4b264d4e09131d4b2b1c25633e222c3c9f7d47cc0a28eedfaa140","decision":"accepted","kind":"material",
             "custom_required_action":"idpbridge-terms","response_type":"code","locale":"es","version":"1","code_id":"KKRaDfdAJmeBygIICK3tadfE",
             "response_mode":"query","auth_method":"openid-connect","redirect_uri":"http://127.0.0.1:44347/callback","remember_me":"false",
             "username":"lia.6fda5b75@example.org","policy":"privacy"}}
            """);
        var builtIn = Parse("""
            {"id":"dfee27a9-a477-4b1d-a419-7ffca801b780","time":1796180561170,"type":"CUSTOM_REQUIRED_ACTION","realmId":"bfdfcd4f-d5d6-440c-8433-a8e6fcc77bc5",
             "clientId":"demo-app","userId":"dcfa097c-45dd-43fd-82fd-81b9124f627a","ipAddress":"127.0.0.1",
             "details":{"auth_method":"openid-connect","custom_required_action":"TERMS_AND_CONDITIONS","response_type":"code",
             "redirect_uri":"http://127.0.0.1:44347/callback","remember_me":"false","code_id":"wpVf3o1Cc4CWsQMXxXmDkgbq","response_mode":"query",
             "username":"teo.c1065a02@example.org"}}
            """);

        var fromBridge = Map(bridge)!;
        var fromBuiltIn = Map(builtIn)!;

        Assert.That((fromBridge.LocaleShown, fromBridge.VersionNumber, fromBridge.ContentHash),
            Is.EqualTo(("es", (int?)1, (string?)"1ecb62e963d4b264d4e09131d4b2b1c25633e222c3c9f7d47cc0a28eedfaa140")));
        Assert.That((fromBuiltIn.LocaleShown, fromBuiltIn.Source), Is.EqualTo(((string?)null, AcceptanceSource.Event)));
    }

    [Test]
    public void ToRecord_BridgeAcceptNamingTheLocale_RecordsTheLocaleShown()
    {
        var record = Map(BridgeEvent("CUSTOM_REQUIRED_ACTION", null, "2", V2Hash, "material", "accepted", locale: "es"))!;

        Assert.That((record.LocaleShown, record.VersionNumber, record.Decision), Is.EqualTo(("es", (int?)2, AcceptanceDecision.Accepted)));
    }

    [TestCase("es")]
    [TestCase("pt-BR")]
    [TestCase("es-419")]
    [TestCase("zh-Hant-TW")]
    public void ToRecord_BridgeDeclineNamingALanguageTag_KeepsIt(string locale) =>
        Assert.That(Map(BridgeEvent("CUSTOM_REQUIRED_ACTION_ERROR", "rejected_by_user", "2", V2Hash, "material", "declined", locale: locale))!.LocaleShown, Is.EqualTo(locale));

    [TestCase("", TestName = "ToRecord_BridgeLocaleEmpty_DroppedNotAFailure")]
    [TestCase("e", TestName = "ToRecord_BridgeLocaleOneLetter_DroppedNotAFailure")]
    [TestCase("es_ES", TestName = "ToRecord_BridgeLocaleWithUnderscore_DroppedNotAFailure")]
    [TestCase("es-", TestName = "ToRecord_BridgeLocaleEmptySubtag_DroppedNotAFailure")]
    [TestCase("es ES", TestName = "ToRecord_BridgeLocaleWithSpace_DroppedNotAFailure")]
    [TestCase("1es", TestName = "ToRecord_BridgeLocaleStartingWithADigit_DroppedNotAFailure")]
    [TestCase("español", TestName = "ToRecord_BridgeLocaleNotAscii_DroppedNotAFailure")]
    [TestCase("<script>", TestName = "ToRecord_BridgeLocaleMarkup_DroppedNotAFailure")]
    [TestCase("es-abcdefghi", TestName = "ToRecord_BridgeLocaleSubtagOverEight_DroppedNotAFailure")]
    [TestCase("es-aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaa", TestName = "ToRecord_BridgeLocaleOf36Characters_DroppedNotAFailure")]
    public void ToRecord_BridgeLocaleNotALanguageTag_RecordedWithoutLocaleButWithTheVersion(string locale)
    {
        var record = Map(BridgeEvent("CUSTOM_REQUIRED_ACTION", null, "2", V2Hash, "material", "accepted", locale: locale))!;

        Assert.That((record.LocaleShown, record.VersionNumber, record.ContentHash), Is.EqualTo(((string?)null, (int?)2, (string?)V2Hash)));
    }

    [Test]
    public void ToRecord_BridgeLocaleOf35Characters_IsKept() =>
        Assert.That(Map(BridgeEvent("CUSTOM_REQUIRED_ACTION", null, "2", V2Hash, "material", "accepted", locale: "es-aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaa"))!.LocaleShown,
            Has.Length.EqualTo(35));

    [Test]
    public void ToRecord_BridgeEventWithoutLocale_AsTheExtensionBeforeItWrote_NoLocale() =>
        Assert.That(Map(BridgeEvent("CUSTOM_REQUIRED_ACTION", null, "2", V2Hash, "material", "accepted"))!.LocaleShown, Is.Null);

    [Test]
    public void ToRecord_BuiltInActionEventEvenWithALocaleDetail_NoLocale()
    {
        var builtIn = BuiltInEvent("CUSTOM_REQUIRED_ACTION", null, new DateTimeOffset(2026, 7, 3, 12, 0, 0, TimeSpan.Zero));
        var keycloakEvent = builtIn with { Details = new Dictionary<string, string>(builtIn.Details!) { ["locale"] = "es" } };

        Assert.That(Map(keycloakEvent)!.LocaleShown, Is.Null, "only the bridge says which page it rendered");
    }

    [Test]
    public void ToRecord_BuiltInActionAccept_VersionInForceAtThatTime()
    {
        var record = Map(BuiltInEvent("CUSTOM_REQUIRED_ACTION", null, new DateTimeOffset(2026, 7, 3, 12, 0, 0, TimeSpan.Zero)))!;

        Assert.That((record.Decision, record.VersionNumber, record.ContentHash, record.Policy), Is.EqualTo((AcceptanceDecision.Accepted, (int?)2, (string?)V2Hash, "privacy")));
    }

    [Test]
    public void ToRecord_BuiltInActionWhileANoticeIsInForce_Acknowledged()
    {
        var record = Map(BuiltInEvent("CUSTOM_REQUIRED_ACTION", null, new DateTimeOffset(2026, 7, 5, 12, 0, 0, TimeSpan.Zero)))!;

        Assert.That((record.Decision, record.VersionNumber), Is.EqualTo((AcceptanceDecision.Acknowledged, (int?)4)));
    }

    [Test]
    public void ToRecord_BuiltInActionDeclineWhileANoticeIsInForce_StaysDeclined()
    {
        var record = Map(BuiltInEvent("CUSTOM_REQUIRED_ACTION_ERROR", "rejected_by_user", new DateTimeOffset(2026, 7, 5, 12, 0, 0, TimeSpan.Zero)))!;

        Assert.That((record.Decision, record.VersionNumber), Is.EqualTo((AcceptanceDecision.Declined, (int?)4)));
    }

    private static AcceptanceRecord? Map(EventRepresentation keycloakEvent) =>
        AcceptanceEvents.ToRecord(keycloakEvent, "externos", "privacy", Versions, registrationAcceptsTerms: false, Recorded);

    /// <summary>
    /// A bridge event as Keycloak 26.7.3 returned it (an acceptance of version 2, copied verbatim from
    /// <c>GET /admin/realms/{r}/events</c> in <c>BridgeLedgerTests</c>: no session id; Keycloak's details beside the
    /// extension's), with the given values put in. A <paramref name="version"/> of null leaves the detail out.
    /// </summary>
    private static EventRepresentation BridgeEvent(
        string type, string? error, string? version, string sha256, string kind, string decision, string policy = "privacy", string? locale = null)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse("""
            {"id":"440bf7b2-a7e5-4cd2-ac23-61ba2d2b6c8d","time":1796146625665,"type":"CUSTOM_REQUIRED_ACTION","realmId":"b7304ae4-ff16-4cfa-b920-e38be4d50627",
             "clientId":"demo-app","userId":"63ca5624-9acd-4545-82d0-ed6fa45fb11b","ipAddress":"127.0.0.1",
             "details":{"sha256":"dbc1b4c900ffe48d575b5da5c638040125f65db0fe3e24494b76ea986457d986","decision":"accepted","kind":"material",
             "custom_required_action":"idpbridge-terms","response_type":"code","version":"2","code_id":"LjW9S7w2khFMAMxEYbmpqBy0","response_mode":"query",
             "auth_method":"openid-connect","redirect_uri":"http://127.0.0.1:35999/callback","remember_me":"false","username":"ana.d74bb1ca@example.org",
             "policy":"privacy"}}
            """)!.AsObject();
        node["type"] = type;
        if (error is not null)
        {
            node["error"] = error;
        }

        var details = node["details"]!.AsObject();
        (details["sha256"], details["kind"], details["decision"], details["policy"]) = (sha256, kind, decision, policy);
        if (locale is not null)
        {
            details["locale"] = locale;
        }

        if (version is null)
        {
            details.Remove("version");
        }
        else
        {
            details["version"] = version;
        }

        return node.Deserialize<EventRepresentation>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    private static EventRepresentation Parse(string json) =>
        JsonSerializer.Deserialize<EventRepresentation>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    private static EventRepresentation BuiltInEvent(string type, string? error, DateTimeOffset at) => new()
    {
        Time = at.ToUnixTimeMilliseconds(),
        Type = type,
        ClientId = "demo-app",
        UserId = "5d1c0b55-3f3e-4c55-9f49-4c8f6a3a2f10",
        IpAddress = "127.0.0.1",
        Error = error,
        Details = new Dictionary<string, string> { ["custom_required_action"] = "TERMS_AND_CONDITIONS", ["username"] = "ana@example.org" },
    };

    private static PolicyVersion Version(int number, PolicyVersionKind kind, string hash, DateTimeOffset effective) =>
        new("externos", "privacy", number, kind, effective, effective, hash, [new PolicyText("es", "Privacidad", null, "texto", "sha")]);
}
