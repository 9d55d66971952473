using System.Net;
using System.Text.Json.Nodes;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;
using static IdpBridge.Testing.Tests.Simulator.SimulatorTestSupport;

namespace IdpBridge.Testing.Tests.Simulator;

[TestFixture]
public sealed class SimulatorUsersTests : RealmFixture
{
    [Test]
    public async Task ListUsers_Paged_OrderedByUsernameWithOffsetPaging()
    {
        Realm.AddUser("charlie");
        Realm.AddUser("Alice");
        Realm.AddUser("bob");
        Realm.AddUser("dave");

        var first = await GetJsonAsync(Http, Admin(Sim, "externos", "/users?first=0&max=2"));
        var second = await GetJsonAsync(Http, Admin(Sim, "externos", "/users?first=2&max=2"));
        var third = await GetJsonAsync(Http, Admin(Sim, "externos", "/users?first=4&max=2"));

        Assert.That(first.AsArray().Select(u => u!["username"]!.GetValue<string>()), Is.EqualTo(new[] { "alice", "bob" }));
        Assert.That(second.AsArray().Select(u => u!["username"]!.GetValue<string>()), Is.EqualTo(new[] { "charlie", "dave" }));
        Assert.That(third.AsArray(), Is.Empty);
        Assert.That(Sim.Requests.Count(r => r.Path.EndsWith("/users", StringComparison.Ordinal)), Is.EqualTo(3));
    }

    [Test]
    public async Task ListUsers_PagesForwardBackAndAfterChanges_SameUsersAsCountingFromTheStart()
    {
        // Service accounts sort among the people ("service-account-robot" between "s..." names) and are never listed.
        foreach (var name in new[] { "ana", "bea", "carl", "dora", "emil", "sara", "tom", "uma", "vera", "zoe" })
        {
            Realm.AddUser(name);
        }

        Sim.AddServiceAccountClient("externos", "robot", "view-users");
        async Task<string[]> Page(int first) =>
            [.. (await GetJsonAsync(Http, Admin(Sim, "externos", $"/users?first={first}&max=3"))).AsArray().Select(u => u!["username"]!.GetValue<string>())];

        var forward = new[] { await Page(0), await Page(3), await Page(6), await Page(9) };
        var back = await Page(3);
        var same = await Page(3);
        Realm.AddUser("bob");   // before the cursor: the next page counts afresh
        var afterInsert = await Page(6);

        Assert.Multiple(() =>
        {
            Assert.That(forward, Is.EqualTo(new[]
            {
                new[] { "ana", "bea", "carl" }, ["dora", "emil", "sara"], ["tom", "uma", "vera"], ["zoe"],
            }));
            Assert.That(back, Is.EqualTo(new[] { "dora", "emil", "sara" }));
            Assert.That(same, Is.EqualTo(back));
            Assert.That(afterInsert, Is.EqualTo(new[] { "sara", "tom", "uma" }));
        });
    }

    [Test]
    public async Task ListUsers_BriefRepresentation_OmitsRequiredActionsAttributesTotpNotBefore()
    {
        Realm.SetUserProfile(WithUnmanagedPolicy(Realm.GetUserProfile(), "ENABLED"));
        Realm.AddUser("ana", "ana@example.org", "Ana", "López", ["VERIFY_EMAIL"], new Dictionary<string, IReadOnlyList<string>> { ["dept"] = ["x"] });

        var brief = (JsonObject)(await GetJsonAsync(Http, Admin(Sim, "externos", "/users?briefRepresentation=true")))[0]!;
        var full = (JsonObject)(await GetJsonAsync(Http, Admin(Sim, "externos", "/users")))[0]!;

        Assert.That(brief.Select(p => p.Key),
            Is.EquivalentTo(new[] { "id", "username", "firstName", "lastName", "email", "emailVerified", "createdTimestamp", "enabled", "access" }));
        Assert.That(full.Select(p => p.Key), Is.EquivalentTo(new[]
        {
            "id", "username", "firstName", "lastName", "email", "emailVerified", "attributes", "createdTimestamp", "enabled", "totp",
            "disableableCredentialTypes", "requiredActions", "notBefore", "access",
        }));
        Assert.That(Strings(full["requiredActions"]), Is.EqualTo(new[] { "VERIFY_EMAIL" }));
        Assert.That(full["attributes"]!.ToJsonString(), Is.EqualTo("{\"dept\":[\"x\"]}"));
    }

    [Test]
    public async Task ListUsers_ServiceAccounts_ExcludedUnlessFieldFilterOrQ()
    {
        Sim.AddServiceAccountClient("externos", "robot", "view-users");
        Realm.AddUser("service-person");

        var unfiltered = await GetJsonAsync(Http, Admin(Sim, "externos", "/users"));
        var byUsername = await GetJsonAsync(Http, Admin(Sim, "externos", "/users?username=service"));
        var count = await GetJsonAsync(Http, Admin(Sim, "externos", "/users/count"));

        Assert.That(unfiltered.AsArray().Select(u => u!["username"]!.GetValue<string>()), Is.EqualTo(new[] { "service-person" }));
        Assert.That(byUsername.AsArray().Select(u => u!["username"]!.GetValue<string>()), Is.EqualTo(new[] { "service-account-robot", "service-person" }));
        Assert.That(count.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task ListUsers_Search_PrefixByDefaultWildcardAndExactQuoted()
    {
        Realm.AddUser("maria", "m@example.org", "María", "Soto");
        Realm.AddUser("amaro", "a@example.org", "Amaro", "Vila");

        var prefix = await GetJsonAsync(Http, Admin(Sim, "externos", "/users?search=mar"));
        var infix = await GetJsonAsync(Http, Admin(Sim, "externos", "/users?search=*mar*"));
        var exact = await GetJsonAsync(Http, Admin(Sim, "externos", "/users?search=%22vila%22"));
        var countInfix = await GetJsonAsync(Http, Admin(Sim, "externos", "/users/count?search=*mar*"));

        Assert.That(prefix.AsArray().Select(u => u!["username"]!.GetValue<string>()), Is.EqualTo(new[] { "maria" }));
        Assert.That(infix.AsArray().Select(u => u!["username"]!.GetValue<string>()), Is.EqualTo(new[] { "amaro", "maria" }));
        Assert.That(exact.AsArray().Select(u => u!["username"]!.GetValue<string>()), Is.EqualTo(new[] { "amaro" }));
        Assert.That(countInfix.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task ListUsers_QAttribute_MatchesValueExactly()
    {
        Realm.SetUserProfile(WithUnmanagedPolicy(Realm.GetUserProfile(), "ADMIN_VIEW"));
        Realm.AddUser("u1", attributes: new Dictionary<string, IReadOnlyList<string>> { ["dept"] = ["sales"] });
        Realm.AddUser("u2", attributes: new Dictionary<string, IReadOnlyList<string>> { ["dept"] = ["salesforce"] });

        var found = await GetJsonAsync(Http, Admin(Sim, "externos", "/users?q=dept%3Asales"));

        Assert.That(found.AsArray().Select(u => u!["username"]!.GetValue<string>()), Is.EqualTo(new[] { "u1" }));
    }

    [Test]
    public async Task CreateUser_New_201WithLocationOfId_ThenDuplicate409()
    {
        var body = new JsonObject { ["username"] = "Nuevo", ["email"] = "nuevo@example.org", ["enabled"] = true };

        var (status, _, response) = await SendAsync(Http, HttpMethod.Post, Admin(Sim, "externos", "/users"), body);
        var id = response.Headers.Location!.ToString().Split('/')[^1];
        var (dupStatus, dupJson, _) = await SendAsync(Http, HttpMethod.Post, Admin(Sim, "externos", "/users"),
            new JsonObject { ["username"] = "Nuevo", ["email"] = "otro@example.org" });
        // Both taken: the real 26.7.3 server names the email.
        var (emailStatus, emailJson, _) = await SendAsync(Http, HttpMethod.Post, Admin(Sim, "externos", "/users"), body);

        Assert.That(status, Is.EqualTo(201));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo(Admin(Sim, "externos", "/users/" + id)));
        Assert.That(Realm.GetUser(id)!["username"]!.GetValue<string>(), Is.EqualTo("nuevo"));
        Assert.That(dupStatus, Is.EqualTo(409));
        Assert.That(dupJson!.ToJsonString(), Is.EqualTo("{\"errorMessage\":\"User exists with same username\"}"));
        Assert.That(emailStatus, Is.EqualTo(409));
        Assert.That(emailJson!.ToJsonString(), Is.EqualTo("{\"errorMessage\":\"User exists with same email\"}"));
    }

    [Test]
    public async Task GetUser_Unknown_404UserNotFound()
    {
        var (status, json, _) = await SendAsync(Http, HttpMethod.Get, Admin(Sim, "externos", "/users/nope"));

        Assert.That(status, Is.EqualTo(404));
        Assert.That(json!.ToJsonString(), Is.EqualTo("{\"error\":\"User not found\"}"));
    }

    [Test]
    public async Task UpdateUser_RequiredActions_ReplacesSetAndDropsUnknownIds()
    {
        var id = Realm.AddUser("ana", "ana@example.org", "Ana", "López", ["VERIFY_EMAIL", "UPDATE_PASSWORD"]);

        var status = await PutAsync(Http, Admin(Sim, "externos", "/users/" + id),
            new JsonObject { ["requiredActions"] = new JsonArray("UPDATE_PASSWORD", "TERMS_AND_CONDITIONS", "NOT_A_REAL_ACTION") });

        var stored = Realm.GetUser(id)!;
        Assert.That(status, Is.EqualTo(204));
        Assert.That(Strings(stored["requiredActions"]), Is.EqualTo(new[] { "UPDATE_PASSWORD", "TERMS_AND_CONDITIONS" }));
        Assert.That(stored["firstName"]!.GetValue<string>(), Is.EqualTo("Ana"));
        Assert.That(stored["email"]!.GetValue<string>(), Is.EqualTo("ana@example.org"));
    }

    [Test]
    public async Task UpdateUser_WithoutAttributes_KeepsAttributesAndRootFields()
    {
        Realm.SetUserProfile(WithUnmanagedPolicy(Realm.GetUserProfile(), "ENABLED"));
        var id = Realm.AddUser("ana", "ana@example.org", "Ana", "López", attributes: new Dictionary<string, IReadOnlyList<string>> { ["dept"] = ["x"] });

        await PutAsync(Http, Admin(Sim, "externos", "/users/" + id), new JsonObject { ["enabled"] = false });

        var stored = Realm.GetUser(id)!;
        Assert.That(stored["enabled"]!.GetValue<bool>(), Is.False);
        Assert.That(stored["lastName"]!.GetValue<string>(), Is.EqualTo("López"));
        Assert.That(stored["attributes"]!.ToJsonString(), Is.EqualTo("{\"dept\":[\"x\"]}"));
    }

    [Test]
    public async Task UpdateUser_WithAttributes_ReplacesSetAndClearsRootFieldsLeftOut()
    {
        Realm.SetUserProfile(WithUnmanagedPolicy(Realm.GetUserProfile(), "ENABLED"));
        var id = Realm.AddUser("ana", "ana@example.org", "Ana", "López", attributes: new Dictionary<string, IReadOnlyList<string>> { ["dept"] = ["x"], ["old"] = ["y"] });

        await PutAsync(Http, Admin(Sim, "externos", "/users/" + id),
            new JsonObject { ["firstName"] = "Ana", ["attributes"] = new JsonObject { ["dept"] = new JsonArray("z") } });

        var stored = Realm.GetUser(id)!;
        Assert.That(stored["firstName"]!.GetValue<string>(), Is.EqualTo("Ana"));
        Assert.That(stored["lastName"], Is.Null);
        Assert.That(stored["email"], Is.Null);
        Assert.That(stored["attributes"]!.ToJsonString(), Is.EqualTo("{\"dept\":[\"z\"]}"));
    }

    [Test]
    public async Task TermsAttribute_VisibleOnlyWhileActionEnabled_AndNeverWritableByAdmin()
    {
        var id = Realm.AddUser("ana", attributes: new Dictionary<string, IReadOnlyList<string>> { ["terms_and_conditions"] = ["1700000000"] });

        var hidden = await GetJsonAsync(Http, Admin(Sim, "externos", "/users/" + id));
        Realm.ConfigureRequiredAction("TERMS_AND_CONDITIONS", enabled: true);
        var visible = await GetJsonAsync(Http, Admin(Sim, "externos", "/users/" + id));
        var status = await PutAsync(Http, Admin(Sim, "externos", "/users/" + id),
            new JsonObject { ["attributes"] = new JsonObject { ["terms_and_conditions"] = new JsonArray("1") } });
        var afterWrite = await GetJsonAsync(Http, Admin(Sim, "externos", "/users/" + id));

        Assert.That(hidden["attributes"], Is.Null);
        Assert.That(visible["attributes"]!.ToJsonString(), Is.EqualTo("{\"terms_and_conditions\":[\"1700000000\"]}"));
        Assert.That(status, Is.EqualTo(204));
        Assert.That(afterWrite["attributes"]!.ToJsonString(), Is.EqualTo("{\"terms_and_conditions\":[\"1700000000\"]}"));
    }

    [Test]
    public async Task UpdateUser_RejectedUser_400AndStateUnchanged()
    {
        var id = Realm.AddUser("legacy", requiredActions: []);
        Sim.Faults.RejectUser("externos", id, 400, "error-invalid-length");

        var (status, json, _) = await SendAsync(Http, HttpMethod.Put, Admin(Sim, "externos", "/users/" + id),
            new JsonObject { ["requiredActions"] = new JsonArray("TERMS_AND_CONDITIONS") });

        Assert.That(status, Is.EqualTo(400));
        Assert.That(json!.ToJsonString(), Is.EqualTo("{\"errorMessage\":\"error-invalid-length\"}"));
        Assert.That(Strings(Realm.GetUser(id)!["requiredActions"]), Is.Empty);
    }

    [Test]
    public async Task DeleteUser_Existing_204AndGone()
    {
        var id = Realm.AddUser("ana");

        var (status, _, _) = await SendAsync(Http, HttpMethod.Delete, Admin(Sim, "externos", "/users/" + id));

        Assert.That(status, Is.EqualTo(204));
        Assert.That(Realm.GetUser(id), Is.Null);
    }

    [Test]
    public async Task AdminCall_WithoutToken_401()
    {
        using var anonymous = new HttpClient();

        var (status, json, _) = await SendAsync(anonymous, HttpMethod.Get, Admin(Sim, "externos", "/users"));
        var (missingRealm, realmJson, _) = await SendAsync(Http, HttpMethod.Get, Admin(Sim, "nope", "/users"));

        Assert.That(status, Is.EqualTo(401));
        Assert.That(json!.ToJsonString(), Is.EqualTo("{\"error\":\"HTTP 401 Unauthorized\"}"));
        Assert.That(missingRealm, Is.EqualTo(404));
        Assert.That(realmJson!.ToJsonString(), Is.EqualTo("{\"error\":\"Realm not found.\"}"));
    }

    [Test]
    public async Task RealmServiceAccount_WithoutManageUsers_403OnWrite()
    {
        var secret = Sim.AddServiceAccountClient("externos", "reader", "view-users");
        using var reader = new HttpClient();
        reader.DefaultRequestHeaders.Authorization = new("Bearer", await GetAdminTokenAsync(reader, Sim, "externos", "reader", secret));
        var id = Realm.AddUser("ana");

        var (getStatus, _, _) = await SendAsync(reader, HttpMethod.Get, Admin(Sim, "externos", "/users/" + id));
        var (putStatus, _, _) = await SendAsync(reader, HttpMethod.Put, Admin(Sim, "externos", "/users/" + id), new JsonObject { ["enabled"] = false });

        Assert.That(getStatus, Is.EqualTo(200));
        Assert.That(putStatus, Is.EqualTo(403));
    }

    internal static JsonObject WithUnmanagedPolicy(JsonObject profile, string policy)
    {
        profile["unmanagedAttributePolicy"] = policy;
        return profile;
    }
}
