using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.Events;
using IdpBridge.Keycloak.IdentityProviders;
using IdpBridge.Keycloak.Realms;
using IdpBridge.Keycloak.UserProfile;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace IdpBridge.Keycloak.Tests;

/// <summary>Each operation family against the simulator: the request sent and the state it leaves.</summary>
public sealed class OperationsTests
{
    [Test]
    public async Task CreateRealm_ThenUpdate_AppliesOnlyTheFieldsSent()
    {
        using var harness = ClientHarness.Start();

        await harness.Client.CreateRealmAsync(new RealmRepresentation { Realm = "externos", Enabled = true });
        await harness.Client.UpdateRealmAsync("externos",
            new RealmRepresentation { LoginTheme = "idpbridge", DefaultLocale = "es", SupportedLocales = ["es", "en"], InternationalizationEnabled = true });
        var realm = await harness.Client.FindRealmAsync("externos");
        var absent = await harness.Client.FindRealmAsync("nowhere");

        Assert.Multiple(() =>
        {
            Assert.That(realm!.LoginTheme, Is.EqualTo("idpbridge"));
            Assert.That(realm.Enabled, Is.True);
            // A set: Keycloak answers it in an order of its own.
            Assert.That(realm.SupportedLocales, Is.EquivalentTo(new[] { "es", "en" }));
            Assert.That(absent, Is.Null);
            Assert.That(harness.AdminRequests[1].Body, Is.EqualTo(
                """{"loginTheme":"idpbridge","internationalizationEnabled":true,"supportedLocales":["es","en"],"defaultLocale":"es"}"""));
        });
    }

    [Test]
    public async Task UserProfile_GetModifyPut_RoundTripsUnknownFieldsAndValidations()
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.CreateRealm("shop");

        var profile = await harness.Client.GetUserProfileAsync("shop");
        var trimmed = profile with { Attributes = profile.Attributes!.Where(attribute => attribute.Name is "username" or "email" or "firstName" or "lastName").ToList() };
        await harness.Client.UpdateUserProfileAsync("shop", trimmed);
        var again = await harness.Client.GetUserProfileAsync("shop");

        Assert.Multiple(() =>
        {
            Assert.That(again.Attributes!.Select(attribute => attribute.Name), Is.EqualTo(new[] { "username", "email", "firstName", "lastName" }));
            Assert.That(again.Attributes![1].Validations!.Keys, Does.Contain("email"));
            Assert.That(harness.AdminRequests[1].Method, Is.EqualTo("PUT"));
            Assert.That(harness.AdminRequests[1].Body, Does.Contain("\"validations\""));
        });
    }

    [Test]
    public void UserProfile_WithoutEmail_IsRefusedWithKeycloaksMessage()
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.CreateRealm("shop");

        var exception = Assert.ThrowsAsync<KeycloakException>(async () =>
        {
            var profile = await harness.Client.GetUserProfileAsync("shop");
            await harness.Client.UpdateUserProfileAsync("shop", profile with { Attributes = profile.Attributes!.Where(attribute => attribute.Name != "email").ToList() });
        });

        Assert.Multiple(() =>
        {
            Assert.That((int?)exception!.StatusCode, Is.EqualTo(400));
            Assert.That(exception.KeycloakError, Is.Not.Null.And.Not.Empty);
        });
    }

    [Test]
    public async Task RequiredAction_EnableTerms_SendsTheWholeObject()
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.CreateRealm("shop");

        var terms = await harness.Client.FindRequiredActionAsync("shop", "TERMS_AND_CONDITIONS");
        await harness.Client.UpdateRequiredActionAsync("shop", "TERMS_AND_CONDITIONS", terms! with { Enabled = true, DefaultAction = true });
        var all = await harness.Client.ListRequiredActionsAsync("shop");

        var put = harness.AdminRequests[1];
        Assert.Multiple(() =>
        {
            Assert.That(terms!.Enabled, Is.False);
            Assert.That(terms.Priority, Is.EqualTo(20));
            Assert.That(put.Body, Does.Contain("\"alias\":\"TERMS_AND_CONDITIONS\"").And.Contain("\"priority\":20").And.Contain("\"enabled\":true")
                .And.Contain("\"defaultAction\":true").And.Contain("\"name\":"));
            Assert.That(all.Single(action => action.Alias == "TERMS_AND_CONDITIONS").DefaultAction, Is.True);
            Assert.That(all.Single(action => action.Alias == "TERMS_AND_CONDITIONS").Priority, Is.EqualTo(20));
        });
    }

    [Test]
    public async Task IdentityProvider_SecretMaskedOnReadAndKeptWhenTheMaskIsSentBack()
    {
        using var harness = ClientHarness.Start();
        var realm = harness.Simulator.CreateRealm("shop");

        await harness.Client.CreateIdentityProviderAsync("shop", new IdentityProviderRepresentation
        {
            Alias = "google", ProviderId = "google", Enabled = true,
            Config = new Dictionary<string, string> { ["clientId"] = "g-client", ["clientSecret"] = "g-secret", ["syncMode"] = "FORCE" },
        });
        var read = await harness.Client.FindIdentityProviderAsync("shop", "google");
        await harness.Client.UpdateIdentityProviderAsync("shop", "google", read! with { DisplayName = "Google" });
        var providers = await harness.Client.ListIdentityProvidersAsync("shop");

        Assert.Multiple(() =>
        {
            Assert.That(read!.Config!["clientSecret"], Is.EqualTo(IdentityProviderRepresentation.MaskedSecret));
            Assert.That(providers.Single().DisplayName, Is.EqualTo("Google"));
            Assert.That(realm.GetIdentityProviders().Single()["config"]!["clientSecret"]!.GetValue<string>(), Is.EqualTo("g-secret"));
        });
    }

    [Test]
    public async Task IdentityProviderMappers_CreateUpdateDelete_UseTheLocationId()
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.CreateRealm("shop");
        await harness.Client.CreateIdentityProviderAsync("shop", new IdentityProviderRepresentation
        {
            Alias = "gitlab", ProviderId = "gitlab", Config = new Dictionary<string, string> { ["clientId"] = "x", ["clientSecret"] = "y" },
        });

        var id = await harness.Client.CreateIdentityProviderMapperAsync("shop", "gitlab", new IdentityProviderMapperRepresentation
        {
            Name = "email", IdentityProviderAlias = "gitlab", IdentityProviderMapper = "oidc-user-attribute-idp-mapper",
            Config = new Dictionary<string, string> { ["claim"] = "email", ["user.attribute"] = "email", ["syncMode"] = "FORCE" },
        });
        var mapper = await harness.Client.FindIdentityProviderMapperAsync("shop", "gitlab", id);
        await harness.Client.UpdateIdentityProviderMapperAsync(
            "shop", "gitlab", id, mapper! with { Config = new Dictionary<string, string>(mapper.Config!) { ["syncMode"] = "IMPORT" } });
        var updated = await harness.Client.ListIdentityProviderMappersAsync("shop", "gitlab");
        await harness.Client.DeleteIdentityProviderMapperAsync("shop", "gitlab", id);
        var afterDelete = await harness.Client.ListIdentityProviderMappersAsync("shop", "gitlab");

        Assert.Multiple(() =>
        {
            Assert.That(mapper!.Id, Is.EqualTo(id));
            Assert.That(updated.Single().Config!["syncMode"], Is.EqualTo("IMPORT"));
            Assert.That(afterDelete, Is.Empty);
        });
    }

    [Test]
    public async Task Clients_CreateServiceAccountAndGrantRealmManagementRoles()
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.CreateRealm("shop");

        var id = await harness.Client.CreateClientAsync("shop", new ClientRepresentation
        {
            ClientId = "idpbridge", Enabled = true, PublicClient = false, ServiceAccountsEnabled = true, StandardFlowEnabled = false,
        });
        var serviceAccount = await harness.Client.GetServiceAccountUserAsync("shop", id);
        var realmManagement = (await harness.Client.ListClientsAsync("shop", "realm-management")).Single();
        var roles = await harness.Client.ListClientRolesAsync("shop", realmManagement.Id!);
        var wanted = roles.Where(role => role.Name is "view-users" or "manage-users").ToList();
        await harness.Client.AddUserClientRolesAsync("shop", serviceAccount.Id!, realmManagement.Id!, wanted);
        var granted = await harness.Client.ListUserClientRolesAsync("shop", serviceAccount.Id!, realmManagement.Id!);
        var created = await harness.Client.FindClientAsync("shop", id);

        Assert.Multiple(() =>
        {
            Assert.That(created!.ClientId, Is.EqualTo("idpbridge"));
            Assert.That(serviceAccount.Username, Is.EqualTo("service-account-idpbridge"));
            Assert.That(granted.Select(role => role.Name), Is.EquivalentTo(new[] { "view-users", "manage-users" }));
            Assert.That(harness.AdminRequests.Single(request => request.Method == "GET" && request.Path.EndsWith("/clients", StringComparison.Ordinal)).Query,
                Is.EqualTo(new[] { KeyValuePair.Create("clientId", "realm-management") }));
        });
    }

    [Test]
    public async Task Localization_PutOneKeyAsTextPostManyAndDelete()
    {
        using var harness = ClientHarness.Start();
        harness.Simulator.CreateRealm("shop");

        await harness.Client.SetLocalizationTextAsync("shop", "es", "termsTitle", "Política de privacidad v2 — ''nueva''");
        await harness.Client.SetLocalizationTextsAsync("shop", "en", new Dictionary<string, string> { ["termsTitle"] = "Privacy policy v2", ["termsText"] = "<p>Read it</p>" });
        await harness.Client.DeleteLocalizationTextAsync("shop", "en", "termsText");
        var spanish = await harness.Client.GetLocalizationTextsAsync("shop", "es");
        var english = await harness.Client.GetLocalizationTextsAsync("shop", "en");
        var locales = await harness.Client.ListLocalizationLocalesAsync("shop");

        var put = harness.AdminRequests[0];
        Assert.Multiple(() =>
        {
            Assert.That(put.ContentType, Does.StartWith("text/plain"));
            Assert.That(put.Body, Is.EqualTo("Política de privacidad v2 — ''nueva''"));
            Assert.That(put.RawPath, Is.EqualTo("/admin/realms/shop/localization/es/termsTitle"));
            Assert.That(spanish["termsTitle"], Is.EqualTo("Política de privacidad v2 — ''nueva''"));
            Assert.That(english, Is.EqualTo(new Dictionary<string, string> { ["termsTitle"] = "Privacy policy v2" }));
            Assert.That(locales, Is.EquivalentTo(new[] { "es", "en" }));
        });
    }

    [Test]
    public async Task Events_ConfigAndQuery_SendTypesDatesAndPaging()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        using var harness = ClientHarness.Start(new SimulatorOptions { TimeProvider = time });
        var realm = harness.Simulator.CreateRealm("shop");
        await harness.Client.UpdateEventsConfigAsync("shop", new RealmEventsConfigRepresentation
        {
            EventsEnabled = true, EventsExpiration = 31_536_000, EnabledEventTypes = ["LOGIN", "REGISTER", "CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR"],
        });
        var terms = (await harness.Client.FindRequiredActionAsync("shop", "TERMS_AND_CONDITIONS"))!;
        await harness.Client.UpdateRequiredActionAsync("shop", "TERMS_AND_CONDITIONS", terms with { Enabled = true });
        var ana = realm.AddUser(TestUsers.New("ana", requiredActions: ["TERMS_AND_CONDITIONS"]));
        var bruno = realm.AddUser(TestUsers.New("bruno", requiredActions: ["TERMS_AND_CONDITIONS"]));
        realm.AcceptTerms(ana);
        time.Advance(TimeSpan.FromSeconds(5));
        realm.DeclineTerms(bruno);

        var config = await harness.Client.GetEventsConfigAsync("shop");
        var events = await harness.Client.GetEventsAsync("shop", new EventQuery
        {
            Types = ["CUSTOM_REQUIRED_ACTION", "CUSTOM_REQUIRED_ACTION_ERROR"], DateFrom = EventQuery.Day(new DateOnly(2020, 1, 1)), First = 0, Max = 50,
        }).ToListAsync();

        Assert.Multiple(() =>
        {
            Assert.That(config.EventsEnabled, Is.True);
            Assert.That(events.Select(e => (e.Type, e.UserId)), Is.EqualTo(new[] { ("CUSTOM_REQUIRED_ACTION_ERROR", bruno), ("CUSTOM_REQUIRED_ACTION", ana) }));
            Assert.That(events[0].Error, Is.EqualTo("rejected_by_user"));
            Assert.That(events[1].Details!["custom_required_action"], Is.EqualTo("TERMS_AND_CONDITIONS"));
            Assert.That(harness.AdminRequests[^1].Query, Is.EqualTo(new[]
            {
                KeyValuePair.Create("type", "CUSTOM_REQUIRED_ACTION"),
                KeyValuePair.Create("type", "CUSTOM_REQUIRED_ACTION_ERROR"),
                KeyValuePair.Create("dateFrom", "2020-01-01"),
                KeyValuePair.Create("first", "0"),
                KeyValuePair.Create("max", "50"),
            }));
        });
    }
}
