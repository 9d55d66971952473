using System.Text.Json;
using IdpBridge.Keycloak.Users;
using NUnit.Framework;

namespace IdpBridge.Keycloak.Tests;

public sealed class UsersTests
{
    [Test]
    public async Task AddRequiredAction_UserWithOtherActionsAndAttributes_KeepsThemAndSendsOnlyRequiredActions()
    {
        using var harness = ClientHarness.Start();
        var realm = harness.Simulator.CreateRealm("shop");
        var id = realm.AddUser(TestUsers.New(
            "ana",
            requiredActions: ["VERIFY_EMAIL", "UPDATE_PASSWORD"],
            attributes: new Dictionary<string, string[]> { ["department"] = ["sales"], ["phone"] = ["+54 11 5555"] }));
        var before = realm.GetUser(id)!.ToJsonString();
        harness.Simulator.ClearRequests();

        var result = await harness.Client.AddRequiredActionAsync("shop", id, "TERMS_AND_CONDITIONS");

        var requests = harness.AdminRequests;
        var after = realm.GetUser(id)!;
        Assert.Multiple(() =>
        {
            Assert.That(result.Change, Is.EqualTo(RequiredActionChange.Added));
            Assert.That(requests.Select(request => $"{request.Method} {request.Path}"), Is.EqualTo(new[]
            {
                $"GET /admin/realms/shop/users/{id}",
                $"PUT /admin/realms/shop/users/{id}",
            }));
            Assert.That(requests[1].ContentType, Does.StartWith("application/json"));
            Assert.That(requests[1].Body, Is.EqualTo("""{"requiredActions":["VERIFY_EMAIL","UPDATE_PASSWORD","TERMS_AND_CONDITIONS"]}"""));
            Assert.That(TestUsers.RequiredActions(realm, id), Is.EqualTo(new[] { "VERIFY_EMAIL", "UPDATE_PASSWORD", "TERMS_AND_CONDITIONS" }));
            Assert.That(after["attributes"]!.ToJsonString(), Is.EqualTo(JsonDocument.Parse(before).RootElement.GetProperty("attributes").GetRawText()));
            Assert.That(after["firstName"]!.GetValue<string>(), Is.EqualTo("Ana"));
            Assert.That(after["email"]!.GetValue<string>(), Is.EqualTo("ana@example.org"));
        });
    }

    [Test]
    public async Task AddRequiredAction_ActionAlreadyPresent_WritesNothing()
    {
        using var harness = ClientHarness.Start();
        var realm = harness.Simulator.CreateRealm("shop");
        var id = realm.AddUser(TestUsers.New("ana", requiredActions: ["TERMS_AND_CONDITIONS"]));
        harness.Simulator.ClearRequests();

        var result = await harness.Client.AddRequiredActionAsync("shop", id, "TERMS_AND_CONDITIONS");

        Assert.Multiple(() =>
        {
            Assert.That(result.Change, Is.EqualTo(RequiredActionChange.AlreadyPresent));
            Assert.That(harness.AdminRequests.Select(request => request.Method), Is.EqualTo(new[] { "GET" }));
        });
    }

    [Test]
    public async Task AddRequiredAction_ConditionRefusesTheFreshRead_WritesNothing()
    {
        using var harness = ClientHarness.Start();
        var realm = harness.Simulator.CreateRealm("shop");
        var id = realm.AddUser(TestUsers.New("ana"));
        harness.Simulator.ClearRequests();

        var result = await harness.Client.AddRequiredActionAsync(
            "shop", id, "TERMS_AND_CONDITIONS", user => user.Username != "ana");

        Assert.Multiple(() =>
        {
            Assert.That(result.Change, Is.EqualTo(RequiredActionChange.Skipped));
            Assert.That(result.User.Username, Is.EqualTo("ana"));
            Assert.That(harness.AdminRequests.Select(request => request.Method), Is.EqualTo(new[] { "GET" }));
        });
    }

    [Test]
    public void AddRequiredAction_StoredNameRefusedByTheProfile_ThrowsWithKeycloaksFieldError()
    {
        using var harness = ClientHarness.Start();
        var realm = harness.Simulator.CreateRealm("shop");
        var user = TestUsers.New("ana");
        user["lastName"] = "Pérez\nGarcía";
        var id = realm.AddUser(user);

        var exception = Assert.ThrowsAsync<KeycloakException>(() => harness.Client.AddRequiredActionAsync("shop", id, "TERMS_AND_CONDITIONS"));

        Assert.Multiple(() =>
        {
            Assert.That((int?)exception!.StatusCode, Is.EqualTo(400));
            Assert.That(exception.KeycloakError, Is.EqualTo("error-person-name-invalid-character"));
            Assert.That(exception.FieldErrors, Is.EqualTo(new[] { new KeycloakFieldError("lastName", "error-person-name-invalid-character", ["lastName"]) })
                .Using<KeycloakFieldError>(SameError));
            Assert.That(TestUsers.RequiredActions(realm, id), Is.Empty);
        });
    }

    [Test]
    public void AddRequiredAction_StoredEmailAndNamesRefused_ThrowsWithEveryFieldErrorInKeycloaksOrder()
    {
        using var harness = ClientHarness.Start();
        var realm = harness.Simulator.CreateRealm("shop");
        var user = TestUsers.New("ana");
        user["email"] = "ana@@example";
        user["firstName"] = "Ana \"la Jefa\"";
        user["lastName"] = "<b>Pérez</b>";
        var id = realm.AddUser(user);

        var exception = Assert.ThrowsAsync<KeycloakException>(() => harness.Client.AddRequiredActionAsync("shop", id, "TERMS_AND_CONDITIONS"));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Body, Does.StartWith("{\"errors\":["));
            Assert.That(exception.KeycloakError, Is.EqualTo("error-invalid-email"));
            Assert.That(exception.FieldErrors, Is.EqualTo(new[]
            {
                new KeycloakFieldError("email", "error-invalid-email", ["email", "ana@@example"]),
                new KeycloakFieldError("lastName", "error-person-name-invalid-character", ["lastName"]),
                new KeycloakFieldError("firstName", "error-person-name-invalid-character", ["firstName"]),
            }).Using<KeycloakFieldError>(SameError));
        });
    }

    [Test]
    public async Task RemoveRequiredAction_UserWithOtherActions_KeepsThemAndSendsOnlyRequiredActions()
    {
        using var harness = ClientHarness.Start();
        var realm = harness.Simulator.CreateRealm("shop");
        var id = realm.AddUser(TestUsers.New("ana", requiredActions: ["VERIFY_EMAIL", "TERMS_AND_CONDITIONS", "UPDATE_PASSWORD"]));
        harness.Simulator.ClearRequests();

        var removed = await harness.Client.RemoveRequiredActionAsync("shop", id, "TERMS_AND_CONDITIONS");
        var again = await harness.Client.RemoveRequiredActionAsync("shop", id, "TERMS_AND_CONDITIONS");

        var requests = harness.AdminRequests;
        Assert.Multiple(() =>
        {
            Assert.That((removed.Change, again.Change), Is.EqualTo((RequiredActionChange.Removed, RequiredActionChange.AlreadyAbsent)));
            Assert.That(requests.Select(request => $"{request.Method} {request.Path}"), Is.EqualTo(new[]
            {
                $"GET /admin/realms/shop/users/{id}", $"PUT /admin/realms/shop/users/{id}", $"GET /admin/realms/shop/users/{id}",
            }));
            Assert.That(requests[1].Body, Is.EqualTo("""{"requiredActions":["VERIFY_EMAIL","UPDATE_PASSWORD"]}"""));
            Assert.That(TestUsers.RequiredActions(realm, id), Is.EqualTo(new[] { "VERIFY_EMAIL", "UPDATE_PASSWORD" }));
        });
    }

    private static bool SameError(KeycloakFieldError left, KeycloakFieldError right) =>
        left.Field == right.Field && left.ErrorMessage == right.ErrorMessage && left.Params.SequenceEqual(right.Params);

    [Test]
    public async Task StreamUsers_TenThousandUsers_YieldsEachOnceInUsernameOrderOnePageAtATime()
    {
        using var harness = ClientHarness.Start();
        var realm = harness.Simulator.CreateRealm("big");
        realm.SeedUsers(10_000);
        harness.Simulator.ClearRequests();

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        string? previous = null;
        var outOfOrder = 0;
        var requestsWhenFirstItemArrived = -1;
        var requestsAtItem150 = -1;
        await foreach (var user in harness.Client.StreamUsersAsync("big", new UserQuery { BriefRepresentation = true }, pageSize: 100))
        {
            if (seen.Count == 0)
            {
                requestsWhenFirstItemArrived = harness.AdminRequests.Count;
            }

            if (seen.Count == 150)
            {
                requestsAtItem150 = harness.AdminRequests.Count;
            }

            if (!seen.Add(user.Id!))
            {
                duplicates++;
            }

            if (previous is not null && string.CompareOrdinal(previous, user.Username) >= 0)
            {
                outOfOrder++;
            }

            previous = user.Username;
        }

        var pages = harness.AdminRequests;
        Assert.Multiple(() =>
        {
            Assert.That(seen, Has.Count.EqualTo(10_000));
            Assert.That(duplicates, Is.Zero);
            Assert.That(outOfOrder, Is.Zero);
            // Lazy: the first item arrives after one page request, item 151 after two; nothing is read ahead.
            Assert.That(requestsWhenFirstItemArrived, Is.EqualTo(1));
            Assert.That(requestsAtItem150, Is.EqualTo(2));
            Assert.That(pages, Has.Count.EqualTo(101)); // 100 full pages, then an empty one ends the walk
            Assert.That(pages[0].Query, Is.EqualTo(new[]
            {
                KeyValuePair.Create("briefRepresentation", "true"),
                KeyValuePair.Create("first", "0"),
                KeyValuePair.Create("max", "100"),
            }));
            Assert.That(pages[100].Query, Does.Contain(KeyValuePair.Create("first", "10000")));
        });
    }

    [Test]
    public async Task GetUsers_Filters_AreSentAsKeycloakNamesThem()
    {
        using var harness = ClientHarness.Start();
        var realm = harness.Simulator.CreateRealm("shop");
        realm.AddUser(TestUsers.New("ana", attributes: new Dictionary<string, string[]> { ["origin"] = ["gitlab"] }));
        realm.AddUser(TestUsers.New("bruno"));
        harness.Simulator.ClearRequests();

        var users = await harness.Client.GetUsersAsync(
            "shop",
            new UserQuery { Search = "an", Enabled = true, Attributes = new Dictionary<string, string> { ["origin"] = "gitlab" } },
            first: 0,
            max: 10).ToListAsync();
        var count = await harness.Client.CountUsersAsync("shop", new UserQuery { Search = "an" });

        Assert.Multiple(() =>
        {
            Assert.That(users.Select(user => user.Username), Is.EqualTo(new[] { "ana" }));
            Assert.That(count, Is.EqualTo(1));
            Assert.That(harness.AdminRequests[0].Query, Is.EqualTo(new[]
            {
                KeyValuePair.Create("briefRepresentation", "false"),
                KeyValuePair.Create("first", "0"),
                KeyValuePair.Create("max", "10"),
                KeyValuePair.Create("search", "an"),
                KeyValuePair.Create("enabled", "true"),
                KeyValuePair.Create("q", "origin:gitlab"),
            }));
            Assert.That(harness.AdminRequests[1].Path, Is.EqualTo("/admin/realms/shop/users/count"));
        });
    }

    [Test]
    public async Task CreateUser_ThenFind_ReturnsTheLocationIdAndTheStoredUser()
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.CreateRealm("shop");

        var id = await harness.Client.CreateUserAsync("shop", new UserRepresentation
        {
            Username = "zoe", Email = "zoe@example.org", FirstName = "Zoë", LastName = "O'Brien", Enabled = true,
        });
        var user = await harness.Client.FindUserAsync("shop", id);
        var missing = await harness.Client.FindUserAsync("shop", "00000000-0000-0000-0000-000000000000");

        Assert.Multiple(() =>
        {
            Assert.That(user!.Id, Is.EqualTo(id));
            Assert.That(user.FirstName, Is.EqualTo("Zoë"));
            Assert.That(user.LastName, Is.EqualTo("O'Brien"));
            Assert.That(missing, Is.Null);
        });
    }

    [Test]
    public void CreateUser_UsernameTaken_ThrowsConflictWithKeycloaksMessage()
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.CreateRealm("shop").AddUser(TestUsers.New("ana"));

        var exception = Assert.ThrowsAsync<KeycloakException>(
            () => harness.Client.CreateUserAsync("shop", new UserRepresentation { Username = "ana" }));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.IsConflict, Is.True);
            Assert.That(exception.KeycloakError, Is.EqualTo("User exists with same username"));
            Assert.That(exception.Body, Does.Contain("errorMessage"));
            Assert.That(exception.Message, Does.Contain("409").And.Contain("User exists with same username"));
        });
    }

    [Test]
    public async Task TermsAcceptedAt_AfterSimulatedAcceptance_IsTheAttributeInSeconds()
    {
        using var harness = ClientHarness.Start();
        var realm = harness.Simulator.CreateRealm("shop");
        await harness.Client.UpdateRequiredActionAsync("shop", "TERMS_AND_CONDITIONS", new()
        {
            Alias = "TERMS_AND_CONDITIONS", Name = "Terms and Conditions", ProviderId = "TERMS_AND_CONDITIONS",
            Enabled = true, DefaultAction = true, Priority = 20,
        });
        var id = realm.AddUser(TestUsers.New("ana", requiredActions: ["TERMS_AND_CONDITIONS"]));
        realm.AcceptTerms(id);

        var user = await harness.Client.FindUserAsync("shop", id);

        Assert.Multiple(() =>
        {
            Assert.That(user!.RequiredActions, Is.Empty);
            Assert.That(user.TermsAcceptedAt, Is.Not.Null);
            Assert.That(user.TermsAcceptedAt!.Value.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                Is.EqualTo(user.Attributes![UserRepresentation.TermsAcceptedAttribute][0]));
        });
    }
}
