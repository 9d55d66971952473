using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Differential;

/// <summary>The user requests IdpBridge sends, answered by the real server and the simulator alike.</summary>
public sealed class UsersDifferentialTests
{
    private const string Users = "realms/{realm}/users";

    [Test]
    public async Task ListAndCount_ThreeUsers_SameOrderPagingAndCount()
    {
        await using var both = await BothKeycloaks.StartAsync();
        foreach (var name in new[] { "carla", "ana", "bruno" })
        {
            var created = await both.SendAsync(HttpMethod.Post, Users, Person(name));
            created.AssertSame();
        }

        (await both.SendAsync(HttpMethod.Get, $"{Users}?first=0&max=2")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, $"{Users}?first=2&max=2&briefRepresentation=true")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, $"{Users}/count")).AssertSame();
    }

    [Test]
    public async Task List_UsernamesOfEveryKind_OrderedOrdinallyAndPagedAlike()
    {
        await using var both = await BothKeycloaks.StartAsync();
        foreach (var name in new[] { "Zed", "ana.b", "ana_b", "ana-b", "ana1", "ñandu", "ANA2", "bob" })
        {
            (await both.SendAsync(HttpMethod.Post, Users, Person(name))).AssertSame();
        }

        foreach (var page in new[] { "first=0&max=3", "first=3&max=3", "first=6&max=3", "first=8&max=3", "first=100&max=10", "max=100" })
        {
            (await both.SendAsync(HttpMethod.Get, $"{Users}?briefRepresentation=true&{page}")).AssertSame();
        }

        (await both.SendAsync(HttpMethod.Get, $"{Users}?first=2&max=4")).AssertSame();
    }

    [Test]
    public async Task GetOne_FullRepresentation_TheWholeAccessMapAndActionsInTheServersOrder()
    {
        await using var both = await BothKeycloaks.StartAsync();
        both.RememberId("ana", await both.SendAsync(HttpMethod.Post, Users, Person("ana")));

        (await both.SendAsync(HttpMethod.Put, $"{Users}/{{id:ana}}", new JsonObject
        {
            ["requiredActions"] = new JsonArray("UPDATE_PROFILE", "VERIFY_EMAIL", "TERMS_AND_CONDITIONS", "UPDATE_PASSWORD"),
        })).AssertSame();

        (await both.SendAsync(HttpMethod.Get, $"{Users}/{{id:ana}}")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, $"{Users}?username=ana&exact=true")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, $"{Users}?username=ana&exact=true&briefRepresentation=true")).AssertSame();
    }

    [Test]
    public async Task CountAndSearch_SearchTermsFieldFiltersAndAttributeQuery_SameUsersAndCounts()
    {
        await using var both = await BothKeycloaks.StartAsync();
        await both.SeedUsersAsync(
            Stored("ana", attributes: new JsonObject { ["department"] = new JsonArray("sales") }),
            Stored("anabel", attributes: new JsonObject { ["department"] = new JsonArray("support") }),
            Stored("bruno", attributes: new JsonObject { ["department"] = new JsonArray("sales") }),
            Stored("carla"));

        foreach (var query in new[]
        {
            "search=ana", "search=*bel", "search=%22ana%22", "search=example.org", "username=ana", "username=ana&exact=true",
            "email=bruno%40example.org", "firstName=Car", "q=department:sales", "q=department:SALES", "q=department:none",
        })
        {
            (await both.SendAsync(HttpMethod.Get, $"{Users}?briefRepresentation=true&{query}")).AssertSame();
            if (!query.Contains("exact", StringComparison.Ordinal))
            {
                // 26.0's count takes no "exact" (the contract check says so): IdpBridge never sends it there.
                (await both.SendAsync(HttpMethod.Get, $"{Users}/count?{query}")).AssertSame();
            }
        }
    }

    [Test]
    public async Task Put_OnlyRequiredActions_ReplacesTheSetAndKeepsEveryAttributeAndName()
    {
        await using var both = await BothKeycloaks.StartAsync();
        await LetAdminsEditUnmanagedAttributesAsync(both);
        await both.SeedUsersAsync(Stored("ana", ["VERIFY_EMAIL", "UPDATE_PASSWORD"], new JsonObject { ["department"] = new JsonArray("sales") }));

        (await both.SendAsync(HttpMethod.Put, $"{Users}/{{id:ana}}", new JsonObject
        {
            ["requiredActions"] = new JsonArray("VERIFY_EMAIL", "UPDATE_PASSWORD", "TERMS_AND_CONDITIONS", "NOT_AN_ACTION"),
        })).AssertSame();

        (await both.SendAsync(HttpMethod.Get, $"{Users}/{{id:ana}}")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, $"{Users}?briefRepresentation=false")).AssertSame();
    }

    [Test]
    public async Task Put_OnlyAttributes_ReplacesThemAndClearsTheNamesAndEmailLeftOut()
    {
        await using var both = await BothKeycloaks.StartAsync();
        await LetAdminsEditUnmanagedAttributesAsync(both);
        await both.SeedUsersAsync(Stored("ana", ["VERIFY_EMAIL"], new JsonObject { ["department"] = new JsonArray("sales"), ["phone"] = new JsonArray("1") }));

        (await both.SendAsync(HttpMethod.Put, $"{Users}/{{id:ana}}", new JsonObject
        {
            ["attributes"] = new JsonObject { ["department"] = new JsonArray("support") },
        })).AssertSame();

        (await both.SendAsync(HttpMethod.Get, $"{Users}/{{id:ana}}")).AssertSame();
    }

    [Test]
    public async Task Put_StoredNamesAndEmailsTheProfileRefuses_SameFourHundredBodies()
    {
        await using var both = await BothKeycloaks.StartAsync();
        await both.SeedUsersAsync(
            Stored("newline", lastName: "Pérez\nGarcía"),
            Stored("trailing", firstName: "Ana\n"),
            Stored("quote", firstName: "Ana \"la Jefa\""),
            Stored("tab", firstName: "Ana\tMaría"),
            Stored("angle", firstName: "A<b", lastName: "C>d"),
            Stored("section", firstName: "§"),
            Stored("bademail", email: "bademail@@example"),
            Stored("dots", email: "a..b@example.org"),
            Stored("domain", email: "x@example..org"),
            Stored("noat", email: "noat", firstName: "Ana\n"),
            Stored("everything", email: "bad", firstName: "A<b", lastName: "C>d"),
            Stored("fine", firstName: "José", lastName: "O'Brien-Smith, Jr.", email: "o.brien+tag@sub.example.org"),
            Stored("shortdomain", email: "x@y"));

        foreach (var name in new[] { "newline", "trailing", "quote", "tab", "angle", "section", "bademail", "dots", "domain", "noat", "everything", "fine", "shortdomain" })
        {
            var put = await both.SendAsync(HttpMethod.Put, $"{Users}/{{id:{name}}}", new JsonObject { ["requiredActions"] = new JsonArray("TERMS_AND_CONDITIONS") });
            put.AssertSame();
        }

        // Fixing the stored value in the same body passes: the user as it would be after the update is validated.
        (await both.SendAsync(HttpMethod.Put, $"{Users}/{{id:newline}}", new JsonObject
        {
            ["lastName"] = "Pérez García",
            ["requiredActions"] = new JsonArray("TERMS_AND_CONDITIONS"),
        })).AssertSame();
        (await both.SendAsync(HttpMethod.Get, $"{Users}/{{id:newline}}")).AssertSame();
    }

    [Test]
    public async Task PutAndPost_InvalidEmailOrNameSentInTheBody_RefusedWithFieldAndParams()
    {
        await using var both = await BothKeycloaks.StartAsync();
        both.RememberId("ana", await both.SendAsync(HttpMethod.Post, Users, Person("ana")));
        (await both.SendAsync(HttpMethod.Post, Users, Person("bruno"))).AssertSame();

        (await both.SendAsync(HttpMethod.Put, $"{Users}/{{id:ana}}", new JsonObject { ["email"] = "not-an-email" })).AssertSame();
        (await both.SendAsync(HttpMethod.Put, $"{Users}/{{id:ana}}", new JsonObject { ["lastName"] = "Pérez; DROP" })).AssertSame();
        (await both.SendAsync(HttpMethod.Put, $"{Users}/{{id:ana}}", new JsonObject { ["email"] = "bruno@example.org", ["lastName"] = "B<d" })).AssertSame();
        var bad = Person("carla");
        bad["lastName"] = "B<d";
        (await both.SendAsync(HttpMethod.Post, Users, bad)).AssertSame();
        bad["email"] = "carla@";
        bad["lastName"] = "Bd";
        (await both.SendAsync(HttpMethod.Post, Users, bad)).AssertSame();
        var taken = Person("ana");
        taken["lastName"] = "B<d";
        (await both.SendAsync(HttpMethod.Post, Users, taken)).AssertSame();
        (await both.SendAsync(HttpMethod.Get, $"{Users}/{{id:ana}}")).AssertSame();
    }

    [Test]
    public async Task TermsAttribute_VisibleOnlyWhileTheActionIsEnabled_FoundByQueryAndNeverWrittenByAnAdmin()
    {
        await using var both = await BothKeycloaks.StartAsync();
        await both.SeedUsersAsync(Stored("ana", attributes: new JsonObject { ["terms_and_conditions"] = new JsonArray("1700000000") }), Stored("bruno"));

        (await both.SendAsync(HttpMethod.Get, $"{Users}?username=ana&exact=true")).AssertSame();
        var terms = await both.SendAsync(HttpMethod.Get, "realms/{realm}/authentication/required-actions/TERMS_AND_CONDITIONS");
        terms.AssertSame();
        var enabled = terms.Server.Body!.DeepClone().AsObject();
        enabled["enabled"] = true;
        enabled["defaultAction"] = true;
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/authentication/required-actions/TERMS_AND_CONDITIONS", enabled)).AssertSame();

        (await both.SendAsync(HttpMethod.Get, $"{Users}?username=ana&exact=true")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, $"{Users}?q=terms_and_conditions:1700000000")).AssertSame();
        (await both.SendAsync(HttpMethod.Put, $"{Users}/{{id:bruno}}", new JsonObject
        {
            ["firstName"] = "Bruno",
            ["lastName"] = "Pérez",
            ["email"] = "bruno@example.org",
            ["attributes"] = new JsonObject { ["terms_and_conditions"] = new JsonArray("1800000000") },
        })).AssertSame();
        (await both.SendAsync(HttpMethod.Get, $"{Users}/{{id:bruno}}")).AssertSame();
    }

    [Test]
    public async Task Errors_MissingUserRealmOrTakenName_SameStatusAndBody()
    {
        await using var both = await BothKeycloaks.StartAsync();
        (await both.SendAsync(HttpMethod.Post, Users, Person("ana"))).AssertSame();
        const string Missing = "00000000-0000-0000-0000-000000000000";

        var answers = new[]
        {
            await both.SendAsync(HttpMethod.Get, $"{Users}/{Missing}"),
            await both.SendAsync(HttpMethod.Put, $"{Users}/{Missing}", new JsonObject { ["requiredActions"] = new JsonArray() }),
            await both.SendAsync(HttpMethod.Post, Users, Person("ana")),
            await both.SendAsync(HttpMethod.Get, "realms/no-such-realm-here/users"),
        };
        foreach (var answer in answers)
        {
            answer.AssertSame();
        }

        Assert.That(answers.Select(answer => answer.Server.Status), Is.EqualTo(new[]
        {
            HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.Conflict, HttpStatusCode.NotFound,
        }));
    }

    [Test]
    public async Task RequiredActions_NewRealm_SameRegisteredActionsIncludingUpdateEmail()
    {
        await using var both = await BothKeycloaks.StartAsync();

        var actions = await both.SendAsync(HttpMethod.Get, "realms/{realm}/authentication/required-actions");

        actions.AssertSame();
        Assert.That(actions.Server.Body!.AsArray().Select(action => action!["alias"]!.GetValue<string>()), Does.Contain("UPDATE_EMAIL"));
    }

    /// <summary>A user as <c>POST /users</c> takes it.</summary>
    private static JsonObject Person(string username) => new()
    {
        ["username"] = username,
        ["email"] = $"{username.ToLowerInvariant()}@example.org",
        ["firstName"] = username,
        ["lastName"] = "Pérez",
        ["enabled"] = true,
    };

    /// <summary>A user as stored, for <see cref="BothKeycloaks.SeedUsersAsync"/>.</summary>
    private static JsonObject Stored(
        string username, string[]? requiredActions = null, JsonObject? attributes = null, string? email = null, string? firstName = null,
        string? lastName = null)
    {
        var user = new JsonObject
        {
            ["username"] = username,
            ["email"] = email ?? $"{username}@example.org",
            ["firstName"] = firstName ?? char.ToUpperInvariant(username[0]) + username[1..],
            ["lastName"] = lastName ?? "Pérez",
            ["enabled"] = true,
            ["requiredActions"] = new JsonArray([.. (requiredActions ?? []).Select(action => (JsonNode?)action)]),
        };
        if (attributes is not null)
        {
            user["attributes"] = attributes;
        }

        return user;
    }

    /// <summary>
    /// The same user profile on both, with <c>unmanagedAttributePolicy: ADMIN_EDIT</c>: admins see and write attributes
    /// the profile does not declare (the server's default document, so only that one setting differs from a new realm).
    /// </summary>
    private static async Task LetAdminsEditUnmanagedAttributesAsync(BothKeycloaks both)
    {
        var profile = (await both.ServerAdmin.GetAsync($"realms/{Uri.EscapeDataString(both.Realm)}/users/profile"))!.AsObject();
        profile["unmanagedAttributePolicy"] = "ADMIN_EDIT";
        var put = await both.SendAsync(HttpMethod.Put, "realms/{realm}/users/profile", profile);
        Assert.That((put.Server.Status, put.Simulator.Status), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)), put.Request);
    }
}
