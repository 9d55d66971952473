using IdpBridge.Testing.Contracts;
using System.Text;
using System.Text.Json.Nodes;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;
using static IdpBridge.Testing.Tests.Simulator.SimulatorTestSupport;

namespace IdpBridge.Testing.Tests.Simulator;

[TestFixture]
public sealed class SimulatorRealmTests : RealmFixture
{
    [Test]
    public async Task GetRealm_New_HasNewRealmDefaults()
    {
        var rep = await GetJsonAsync(Http, Admin(Sim, "externos"));

        Assert.That(rep["realm"]!.GetValue<string>(), Is.EqualTo("externos"));
        Assert.That(rep["eventsEnabled"]!.GetValue<bool>(), Is.False);
        Assert.That(rep["registrationAllowed"]!.GetValue<bool>(), Is.False);
        Assert.That(rep["internationalizationEnabled"]!.GetValue<bool>(), Is.False);
        Assert.That(rep["attributes"]!["cibaInterval"]!.GetValue<string>(), Is.EqualTo("5"), "26.7.3 keeps its CIBA settings as attributes");
        Assert.That(rep["defaultRole"]!["name"]!.GetValue<string>(), Is.EqualTo("default-roles-externos"));
        Assert.That(rep.AsObject().ContainsKey("loginTheme"), Is.False);
        Assert.That(rep.AsObject().ContainsKey("supportedLocales"), Is.False, "an empty set of locales is left out");
    }

    [Test]
    public async Task PutRealm_PresentFieldsApplied_AttributesReplaced()
    {
        await PutAsync(Http, Admin(Sim, "externos"), new JsonObject { ["attributes"] = new JsonObject { ["a"] = "1", ["b"] = "2" } });

        var status = await PutAsync(Http, Admin(Sim, "externos"),
            new JsonObject { ["loginTheme"] = "idpbridge", ["attributes"] = new JsonObject { ["c"] = "3" } });
        var rep = await GetJsonAsync(Http, Admin(Sim, "externos"));

        Assert.That(status, Is.EqualTo(204));
        Assert.That(rep["loginTheme"]!.GetValue<string>(), Is.EqualTo("idpbridge"));
        // Replaced, except the attributes the realm's CIBA, device and PAR settings write back (and keep).
        Assert.That(rep["attributes"]!.AsObject().Select(pair => pair.Key), Is.EquivalentTo(new[]
        {
            "c", "cibaBackchannelTokenDeliveryMode", "cibaExpiresIn", "cibaAuthRequestedUserHint", "cibaInterval",
            "oauth2DeviceCodeLifespan", "oauth2DevicePollingInterval", "parRequestUriLifespan",
        }));
        Assert.That(rep["registrationAllowed"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task CreateRealm_New201_Duplicate409()
    {
        var (status, _, response) = await SendAsync(Http, HttpMethod.Post, Sim.Url + "/admin/realms", new JsonObject { ["realm"] = "nuevo", ["enabled"] = true });
        var (dup, json, _) = await SendAsync(Http, HttpMethod.Post, Sim.Url + "/admin/realms", new JsonObject { ["realm"] = "nuevo" });

        Assert.That(status, Is.EqualTo(201));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo(Sim.Url + "/admin/realms/nuevo"));
        Assert.That(Sim.HasRealm("nuevo"), Is.True);
        Assert.That(dup, Is.EqualTo(409));
        Assert.That(json!.ToJsonString(), Is.EqualTo("{\"errorMessage\":\"Realm nuevo already exists\"}"));
    }

    [Test]
    public async Task PutUserProfile_WithoutUsernameOrEmail_400AndUnchanged()
    {
        var profile = (JsonObject)await GetJsonAsync(Http, Admin(Sim, "externos", "/users/profile"));
        var withoutEmail = profile.DeepClone().AsObject();
        var attributes = withoutEmail["attributes"]!.AsArray();
        attributes.Remove(attributes.First(a => a!["name"]!.GetValue<string>() == "email"));

        var (status, json, _) = await SendAsync(Http, HttpMethod.Put, Admin(Sim, "externos", "/users/profile"), withoutEmail);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(json!["errorMessage"]!.GetValue<string>(), Is.EqualTo("[The attribute 'email' can not be removed]"));
        Assert.That(Realm.GetUserProfile().ToJsonString(), Is.EqualTo(profile.ToJsonString()));
    }

    [Test]
    public async Task PutUserProfile_Valid_ReplacesAndNormalizes()
    {
        var profile = (JsonObject)await GetJsonAsync(Http, Admin(Sim, "externos", "/users/profile"));
        var changed = profile.DeepClone().AsObject();
        changed["attributes"]!.AsArray().Add(new JsonObject { ["name"] = "phone", ["displayName"] = "Phone" });
        changed["unmanagedAttributePolicy"] = "ADMIN_EDIT";

        var (status, json, _) = await SendAsync(Http, HttpMethod.Put, Admin(Sim, "externos", "/users/profile"), changed);

        Assert.That(status, Is.EqualTo(200));
        Assert.That(json!["attributes"]![4]!.ToJsonString(), Is.EqualTo("{\"name\":\"phone\",\"displayName\":\"Phone\",\"multivalued\":false}"));
        Assert.That(profile["attributes"]![0]!["multivalued"]!.GetValue<bool>(), Is.False);
        Assert.That(Realm.GetUserProfile()["unmanagedAttributePolicy"]!.GetValue<string>(), Is.EqualTo("ADMIN_EDIT"));
    }

    [Test]
    public async Task RequiredActions_NewRealm_TermsRegisteredDisabledPriority20()
    {
        var list = await GetJsonAsync(Http, Admin(Sim, "externos", "/authentication/required-actions"));
        var terms = list.AsArray().Single(a => a!["alias"]!.GetValue<string>() == "TERMS_AND_CONDITIONS")!;

        Assert.That(terms.ToJsonString(), Is.EqualTo(
            "{\"alias\":\"TERMS_AND_CONDITIONS\",\"name\":\"Terms and Conditions\",\"providerId\":\"TERMS_AND_CONDITIONS\"," +
            "\"enabled\":false,\"defaultAction\":false,\"priority\":20,\"config\":{}}"));
        Assert.That(list.AsArray().Select(a => a!["priority"]!.GetValue<long>()), Is.Ordered);
    }

    [Test]
    public async Task PutRequiredAction_OmittedPrimitives_BecomeFalseAndZero()
    {
        var status = await PutAsync(Http, Admin(Sim, "externos", "/authentication/required-actions/TERMS_AND_CONDITIONS"),
            new JsonObject { ["alias"] = "TERMS_AND_CONDITIONS", ["name"] = "Terms and Conditions", ["enabled"] = true });
        var action = await GetJsonAsync(Http, Admin(Sim, "externos", "/authentication/required-actions/TERMS_AND_CONDITIONS"));

        Assert.That(status, Is.EqualTo(204));
        Assert.That(action["enabled"]!.GetValue<bool>(), Is.True);
        Assert.That(action["defaultAction"]!.GetValue<bool>(), Is.False);
        Assert.That(action["priority"]!.GetValue<long>(), Is.Zero);
    }

    [Test]
    public async Task IdentityProvider_SecretMaskedOnGet_KeptWhenMaskSentBack()
    {
        var idp = new JsonObject
        {
            ["alias"] = "google",
            ["providerId"] = "google",
            ["config"] = new JsonObject { ["clientId"] = "cid", ["clientSecret"] = "s3cret" },
        };
        var (created, _, response) = await SendAsync(Http, HttpMethod.Post, Admin(Sim, "externos", "/identity-provider/instances"), idp);
        var read = await GetJsonAsync(Http, Admin(Sim, "externos", "/identity-provider/instances/google"));
        read["displayName"] = "Google";
        var put = await PutAsync(Http, Admin(Sim, "externos", "/identity-provider/instances/google"), read);
        var (dup, dupJson, _) = await SendAsync(Http, HttpMethod.Post, Admin(Sim, "externos", "/identity-provider/instances"), idp);
        var (bad, badJson, _) = await SendAsync(Http, HttpMethod.Post, Admin(Sim, "externos", "/identity-provider/instances"),
            new JsonObject { ["alias"] = "x", ["providerId"] = "nope" });

        Assert.That(created, Is.EqualTo(201));
        Assert.That(response.Headers.Location!.ToString(), Does.EndWith("/identity-provider/instances/google"));
        Assert.That(read["config"]!["clientSecret"]!.GetValue<string>(), Is.EqualTo("**********"));
        Assert.That(put, Is.EqualTo(204));
        var stored = Realm.GetIdentityProviders().Single();
        Assert.That(stored["config"]!["clientSecret"]!.GetValue<string>(), Is.EqualTo("s3cret"));
        Assert.That(stored["displayName"]!.GetValue<string>(), Is.EqualTo("Google"));
        Assert.That(dup, Is.EqualTo(409));
        Assert.That(dupJson!["errorMessage"]!.GetValue<string>(), Is.EqualTo("Identity Provider google already exists"));
        Assert.That(bad, Is.EqualTo(400));
        Assert.That(badJson!.ToJsonString(), Is.EqualTo("{\"errorMessage\":\"Invalid identity provider id [nope]\"}"));
    }

    [Test]
    public async Task IdentityProviderMapper_Post_201WithLocationOfId()
    {
        Realm.PutIdentityProvider(new JsonObject { ["alias"] = "gitlab", ["providerId"] = "gitlab" });

        var (status, _, response) = await SendAsync(Http, HttpMethod.Post, Admin(Sim, "externos", "/identity-provider/instances/gitlab/mappers"),
            new JsonObject
            {
                ["name"] = "email", ["identityProviderAlias"] = "gitlab", ["identityProviderMapper"] = "hardcoded-attribute-idp-mapper", ["config"] = new JsonObject(),
            });
        var id = response.Headers.Location!.ToString().Split('/')[^1];
        var mapper = await GetJsonAsync(Http, Admin(Sim, "externos", "/identity-provider/instances/gitlab/mappers/" + id));

        Assert.That(status, Is.EqualTo(201));
        Assert.That(mapper["name"]!.GetValue<string>(), Is.EqualTo("email"));
    }

    [Test]
    public async Task DeleteIdentityProvider_DropsUserLinks()
    {
        Realm.PutIdentityProvider(new JsonObject { ["alias"] = "google", ["providerId"] = "google" });
        var id = Realm.AddUser(new JsonObject
        {
            ["username"] = "ana",
            ["federatedIdentities"] = new JsonArray(new JsonObject { ["identityProvider"] = "google", ["userId"] = "g1", ["userName"] = "ana" }),
        });

        var (status, _, _) = await SendAsync(Http, HttpMethod.Delete, Admin(Sim, "externos", "/identity-provider/instances/google"));

        Assert.That(status, Is.EqualTo(204));
        Assert.That(Realm.GetUser(id)!["federatedIdentities"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Localization_PutPostDelete_AsKeycloak()
    {
        using var text = new StringContent("Términos", Encoding.UTF8, "text/plain");
        using var put = await Http.PutAsync(new Uri(Admin(Sim, "externos", "/localization/es/termsTitle")), text);
        var (post, _, _) = await SendAsync(Http, HttpMethod.Post, Admin(Sim, "externos", "/localization/es"), new JsonObject { ["termsText"] = "<p>Hola</p>" });
        var map = await GetJsonAsync(Http, Admin(Sim, "externos", "/localization/es"));
        var locales = await GetJsonAsync(Http, Admin(Sim, "externos", "/localization"));
        var (deleted, _, _) = await SendAsync(Http, HttpMethod.Delete, Admin(Sim, "externos", "/localization/es/termsText"));
        var (missing, _, _) = await SendAsync(Http, HttpMethod.Delete, Admin(Sim, "externos", "/localization/es/termsText"));

        Assert.That((int)put.StatusCode, Is.EqualTo(204));
        Assert.That(post, Is.EqualTo(204));
        Assert.That(map.AsObject().Select(p => (p.Key, p.Value!.GetValue<string>())), Is.EqualTo(new[] { ("termsText", "<p>Hola</p>"), ("termsTitle", "Términos") }));
        Assert.That(Strings(locales), Is.EqualTo(new[] { "es" }));
        Assert.That(deleted, Is.EqualTo(204));
        Assert.That(missing, Is.EqualTo(404));
    }

    [Test]
    public async Task Clients_CreateWithServiceAccount_RolesAndMappings()
    {
        var (status, _, response) = await SendAsync(Http, HttpMethod.Post, Admin(Sim, "externos", "/clients"),
            new JsonObject { ["clientId"] = "svc", ["serviceAccountsEnabled"] = true });
        var uuid = response.Headers.Location!.ToString().Split('/')[^1];
        var account = await GetJsonAsync(Http, Admin(Sim, "externos", "/clients/" + uuid + "/service-account-user"));
        var management = (await GetJsonAsync(Http, Admin(Sim, "externos", "/clients?clientId=realm-management")))[0]!;
        var managementId = management["id"]!.GetValue<string>();
        var roles = await GetJsonAsync(Http, Admin(Sim, "externos", "/clients/" + managementId + "/roles"));
        var viewUsers = roles.AsArray().Single(r => r!["name"]!.GetValue<string>() == "view-users")!;
        var (mapped, _, _) = await SendAsync(Http, HttpMethod.Post,
            Admin(Sim, "externos", "/users/" + account["id"]!.GetValue<string>() + "/role-mappings/clients/" + managementId), new JsonArray(viewUsers.DeepClone()));
        var held = await GetJsonAsync(Http, Admin(Sim, "externos", "/users/" + account["id"]!.GetValue<string>() + "/role-mappings/clients/" + managementId));
        var (dup, _, _) = await SendAsync(Http, HttpMethod.Post, Admin(Sim, "externos", "/clients"), new JsonObject { ["clientId"] = "svc" });

        Assert.That(status, Is.EqualTo(201));
        Assert.That(account["username"]!.GetValue<string>(), Is.EqualTo("service-account-svc"));
        Assert.That(roles.AsArray().Select(r => r!["name"]!.GetValue<string>()),
            Is.SupersetOf(new[] { "view-users", "manage-users", "view-events", "view-realm", "manage-realm", "manage-identity-providers", "manage-clients" }));
        Assert.That(mapped, Is.EqualTo(204));
        Assert.That(held.AsArray().Select(r => r!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "view-users" }));
        Assert.That(dup, Is.EqualTo(409));
    }

    [Test]
    public async Task UnknownRoute_404AndContractViolation()
    {
        var (status, json, _) = await SendAsync(Http, HttpMethod.Get, Admin(Sim, "externos", "/no-such-thing"));

        Assert.That(status, Is.EqualTo(404));
        Assert.That(json!.ToJsonString(), Is.EqualTo("{\"error\":\"HTTP 404 Not Found\"}"));
        // The violation is the point of this test: take it from the ledger so the contract check does not fail it.
        var reported = ContractLedger.TakeAll();
        Assert.That(Sim.ContractViolations, Has.Some.Contains("no such route"));
        Assert.That(reported, Has.Some.Contains("no such route").And.Some.Contains("no documented path matches"));
    }
}
