using System.Text.Json.Nodes;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using static IdpBridge.Testing.Tests.Simulator.SimulatorTestSupport;

namespace IdpBridge.Testing.Tests.Simulator;

[TestFixture]
public sealed class SimulatorEventsTests : RealmFixture
{
    private FakeTimeProvider time = null!;

    protected override SimulatorOptions CreateOptions()
    {
        time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        // These tests read events with `direction`, a 26.4+ parameter: the 26.0 availability check is off here only.
        return new SimulatorOptions { TimeProvider = time, CheckKeycloak26_0 = false };
    }

    [Test]
    public async Task Events_WhileDisabled_NotStored()
    {
        var id = Realm.AddUser("ana", requiredActions: ["TERMS_AND_CONDITIONS"]);

        Realm.AcceptTerms(id);
        var events = await GetJsonAsync(Http, Admin(Sim, "externos", "/events"));

        Assert.That(events.AsArray(), Is.Empty);
        Assert.That(Realm.GetUser(id)!["attributes"]!["terms_and_conditions"]![0]!.GetValue<string>(), Is.EqualTo("1772366400"));
    }

    [Test]
    public async Task AcceptTerms_EventsEnabled_CustomRequiredActionThenLogin_NewestFirst()
    {
        await PutAsync(Http, Admin(Sim, "externos", "/events/config"), new JsonObject { ["eventsEnabled"] = true });
        var id = Realm.AddUser("ana", requiredActions: ["TERMS_AND_CONDITIONS", "VERIFY_EMAIL"]);

        Realm.AcceptTerms(id, "web", "10.0.0.1");
        var events = await GetJsonAsync(Http, Admin(Sim, "externos", "/events"));
        var ascending = await GetJsonAsync(Http, Admin(Sim, "externos", "/events?direction=asc&type=CUSTOM_REQUIRED_ACTION"));

        Assert.That(events.AsArray().Select(e => e!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "LOGIN", "CUSTOM_REQUIRED_ACTION" }));
        var custom = events[1]!;
        Assert.That(custom["details"]!["custom_required_action"]!.GetValue<string>(), Is.EqualTo("TERMS_AND_CONDITIONS"));
        Assert.That(custom["details"]!["username"]!.GetValue<string>(), Is.EqualTo("ana"));
        Assert.That(custom["clientId"]!.GetValue<string>(), Is.EqualTo("web"));
        Assert.That(custom["ipAddress"]!.GetValue<string>(), Is.EqualTo("10.0.0.1"));
        Assert.That(custom["time"]!.GetValue<long>(), Is.EqualTo(time.GetUtcNow().ToUnixTimeMilliseconds()));
        Assert.That(ascending.AsArray(), Has.Count.EqualTo(1));
        Assert.That(Strings(Realm.GetUser(id)!["requiredActions"]), Is.EqualTo(new[] { "VERIFY_EMAIL" }));
    }

    [Test]
    public async Task DeclineTerms_EventsEnabled_ErrorRejectedByUserWithoutSession()
    {
        Realm.SetSetting("eventsEnabled", true);
        var id = Realm.AddUser("ana", requiredActions: ["TERMS_AND_CONDITIONS"], attributes: new Dictionary<string, IReadOnlyList<string>> { ["terms_and_conditions"] = ["1"] });

        Realm.DeclineTerms(id);
        var events = await GetJsonAsync(Http, Admin(Sim, "externos", "/events"));

        var single = events.AsArray().Single()!.AsObject();
        Assert.That(single["type"]!.GetValue<string>(), Is.EqualTo("CUSTOM_REQUIRED_ACTION_ERROR"));
        Assert.That(single["error"]!.GetValue<string>(), Is.EqualTo("rejected_by_user"));
        Assert.That(single.ContainsKey("sessionId"), Is.False);
        var stored = Realm.GetUser(id)!;
        Assert.That(Strings(stored["requiredActions"]), Is.EqualTo(new[] { "TERMS_AND_CONDITIONS" }));
        Assert.That(stored["attributes"]!.AsObject().ContainsKey("terms_and_conditions"), Is.False);
    }

    [Test]
    public async Task RegisterUser_WithTheTermsCheckboxNothingElsePending_RegisterThenLoginAndAttributeSet()
    {
        Realm.SetSetting("eventsEnabled", true);

        var id = Realm.RegisterUser("nuevo", "nuevo@example.org", "Nu", "Evo");
        var events = await GetJsonAsync(Http, Admin(Sim, "externos", "/events"));

        Assert.That(events.AsArray().Select(e => e!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "LOGIN", "REGISTER" }));
        Assert.That(events[1]!["details"]!.AsObject().Select(d => (d.Key, d.Value!.GetValue<string>())), Is.EquivalentTo(new[]
        {
            ("auth_method", "openid-connect"), ("register_method", "form"), ("redirect_uri", "http://localhost/app/"),
            ("code_id", events[0]!["sessionId"]!.GetValue<string>()), ("username", "nuevo"), ("email", "nuevo@example.org"),
            ("first_name", "Nu"), ("last_name", "Evo"),
        }));
        Assert.That(Realm.GetUser(id)!["attributes"]!["terms_and_conditions"]![0]!.GetValue<string>(), Is.EqualTo("1772366400"));
    }

    [Test]
    public async Task RegisterUser_WithoutTheCheckboxTermsADefaultAction_OnlyRegisterAndTheTermsStepPending()
    {
        Realm.SetSetting("eventsEnabled", true);
        Realm.ConfigureRequiredAction(SimulatedRealm.TermsAction, enabled: true, defaultAction: true);

        var id = Realm.RegisterUser("nuevo", "nuevo@example.org", termsCheckbox: false);
        var events = await GetJsonAsync(Http, Admin(Sim, "externos", "/events"));

        Assert.That(events.AsArray().Select(e => e!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "REGISTER" }));
        Assert.That(Strings(Realm.GetUser(id)!["requiredActions"]), Is.EqualTo(new[] { "TERMS_AND_CONDITIONS" }));
        Assert.That(Realm.GetUser(id)!["attributes"]?.AsObject().ContainsKey("terms_and_conditions") ?? false, Is.False);
    }

    [Test]
    public async Task AcceptTerms_TypedLogin_EventsNameItAndTheLoginSessionIsTheActionsCode()
    {
        Realm.SetSetting("eventsEnabled", true);
        var id = Realm.AddUser("ana", requiredActions: ["TERMS_AND_CONDITIONS"]);

        Realm.AcceptTerms(id, login: "Ana@Example.org");
        var events = await GetJsonAsync(Http, Admin(Sim, "externos", "/events"));

        var (login, custom) = (events[0]!.AsObject(), events[1]!.AsObject());
        Assert.That(custom["details"]!["username"]!.GetValue<string>(), Is.EqualTo("Ana@Example.org"));
        Assert.That(custom.ContainsKey("sessionId"), Is.False, "the session starts with the LOGIN");
        Assert.That(login["sessionId"]!.GetValue<string>(), Is.EqualTo(custom["details"]!["code_id"]!.GetValue<string>()).And.Length.EqualTo(24));
        Assert.That(login["details"]!["custom_required_action"]!.GetValue<string>(), Is.EqualTo("TERMS_AND_CONDITIONS"));
    }

    [Test]
    public async Task Events_NoEnabledTypesListed_StoresAndListsOnlyTheTypesSavedByDefault()
    {
        Realm.SetSetting("eventsEnabled", true);

        var login = Realm.AddEvent("LOGIN");
        var refresh = Realm.AddEvent("REFRESH_TOKEN");
        var config = await GetJsonAsync(Http, Admin(Sim, "externos", "/events/config"));

        Assert.That((login is null, refresh is null), Is.EqualTo((false, true)), "REFRESH_TOKEN is not saved by default");
        Assert.That(Strings(config["enabledEventTypes"]), Does.Contain("CUSTOM_REQUIRED_ACTION").And.Not.Contain("REFRESH_TOKEN").And.Length.EqualTo(103));
    }

    [Test]
    public async Task Events_EnabledTypesAndExpiration_FilterStoredEvents()
    {
        await PutAsync(Http, Admin(Sim, "externos", "/events/config"),
            new JsonObject { ["eventsEnabled"] = true, ["enabledEventTypes"] = new JsonArray("LOGIN"), ["eventsExpiration"] = 3600 });
        var id = Realm.AddUser("ana");

        Realm.AcceptTerms(id);
        var config = await GetJsonAsync(Http, Admin(Sim, "externos", "/events/config"));
        var stored = await GetJsonAsync(Http, Admin(Sim, "externos", "/events"));
        time.Advance(TimeSpan.FromHours(2));
        Http.DefaultRequestHeaders.Authorization = new("Bearer", await GetAdminTokenAsync(Http, Sim));
        var expired = await GetJsonAsync(Http, Admin(Sim, "externos", "/events"));

        Assert.That(config["eventsEnabled"]!.GetValue<bool>(), Is.True);
        Assert.That(stored.AsArray().Select(e => e!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "LOGIN" }));
        Assert.That(expired.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Events_DateFilterAndPaging_AsQueried()
    {
        Realm.AddEventsUnchecked(Enumerable.Range(0, 5).Select(i => new JsonObject
        {
            ["type"] = "LOGIN",
            ["time"] = new DateTimeOffset(2026, 2, 26, 10, 0, 0, TimeSpan.Zero).AddDays(i).ToUnixTimeMilliseconds(),
            ["userId"] = "u" + i,
        }));

        var window = await GetJsonAsync(Http, Admin(Sim, "externos", "/events?dateFrom=2026-02-27&dateTo=2026-02-28"));
        var page = await GetJsonAsync(Http, Admin(Sim, "externos", "/events?first=1&max=2"));

        Assert.That(window.AsArray().Select(e => e!["userId"]!.GetValue<string>()), Is.EqualTo(new[] { "u2", "u1" }));
        Assert.That(page.AsArray().Select(e => e!["userId"]!.GetValue<string>()), Is.EqualTo(new[] { "u3", "u2" }));
    }
}
