using System.Text.Json.Nodes;
using IdpBridge.Core.Realms;
using IdpBridge.Keycloak;
using IdpBridge.Testing;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Realms;

public sealed class RealmProvisionerTests : ProvisionerTestBase
{
    [Test]
    public async Task Plan_LiveProviderNotInFile_IsLeftAloneUnlessTheFileOwnsTheCollection()
    {
        var realm = Simulator.CreateRealm("shop");
        realm.PutIdentityProvider(new JsonObject { ["alias"] = "legacy", ["providerId"] = "oidc", ["config"] = new JsonObject() });
        const string providers = """
            "identityProviders": [ { "alias": "google", "providerId": "google", "config": { "clientId": "id", "clientSecret": "s" } } ]
            """;

        var shared = await Provisioner.PlanAsync(Config($$"""{ "realm": "shop", {{providers}} }"""));
        var owned = await Provisioner.PlanAsync(Config($$"""{ "realm": "shop", {{providers}}, "x-idpbridge": { "exclusive": ["identityProviders"] } }"""));

        Assert.Multiple(() =>
        {
            Assert.That(shared.Changes.Select(change => $"{change.Kind} {change}"), Is.EqualTo(new[] { "Create identity-provider google" }));
            Assert.That(owned.Changes.Select(change => $"{change.Kind} {change}"),
                Is.EqualTo(new[] { "Create identity-provider google", "Delete identity-provider legacy" }));
        });
    }

    [Test]
    public async Task Plan_LiveMapperNotInFile_IsLeftAloneUnlessTheFileOwnsMappers()
    {
        var realm = Simulator.CreateRealm("shop");
        realm.PutIdentityProvider(new JsonObject { ["alias"] = "gitlab", ["providerId"] = "gitlab", ["config"] = new JsonObject() });
        realm.AddIdentityProviderMapper(new JsonObject
        {
            ["name"] = "department", ["identityProviderAlias"] = "gitlab", ["identityProviderMapper"] = "hardcoded-attribute-idp-mapper",
            ["config"] = new JsonObject { ["attribute"] = "department", ["attribute.value"] = "x" },
        });
        const string declared = """
            "identityProviders": [ { "alias": "gitlab", "providerId": "gitlab" } ],
            "identityProviderMappers": [ { "name": "email", "identityProviderAlias": "gitlab", "identityProviderMapper": "oidc-user-attribute-idp-mapper",
                                           "config": { "claim": "email", "user.attribute": "email" } } ]
            """;

        var shared = await Provisioner.PlanAsync(Config($$"""{ "realm": "shop", {{declared}} }"""));
        var owned = await Provisioner.PlanAsync(Config($$"""{ "realm": "shop", {{declared}}, "x-idpbridge": { "exclusive": ["identityProviderMappers"] } }"""));
        await Provisioner.ApplyAsync(Config($$"""{ "realm": "shop", {{declared}}, "x-idpbridge": { "exclusive": ["identityProviderMappers"] } }"""), owned);

        Assert.Multiple(() =>
        {
            Assert.That(shared.Changes.Select(change => $"{change.Kind} {change}"), Is.EqualTo(new[] { "Create identity-provider-mapper gitlab/email" }));
            Assert.That(owned.Changes.Select(change => $"{change.Kind} {change}"),
                Is.EqualTo(new[] { "Create identity-provider-mapper gitlab/email", "Delete identity-provider-mapper gitlab/department" }));
            Assert.That(realm.GetIdentityProviderMappers("gitlab").Select(mapper => mapper["name"]!.GetValue<string>()), Is.EqualTo(new[] { "email" }));
        });
    }

    [Test]
    public async Task Apply_RequiredActionWithOneDeclaredField_PutsTheWholeObject()
    {
        Simulator.CreateRealm("shop");
        var config = Config("""{ "realm": "shop", "requiredActions": [ { "alias": "TERMS_AND_CONDITIONS", "enabled": true } ] }""");
        Simulator.ClearRequests();

        var result = await Provisioner.ApplyAsync(config, await Provisioner.PlanAsync(config));

        var put = Simulator.Requests.Single(request => request.Method == "PUT");
        var body = JsonNode.Parse(put.Body!)!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(put.Path, Is.EqualTo("/admin/realms/shop/authentication/required-actions/TERMS_AND_CONDITIONS"));
            Assert.That(body["enabled"]!.GetValue<bool>(), Is.True);
            // Fields the file did not declare are sent as Keycloak holds them, or its PUT would reset them to false/0.
            Assert.That(body["priority"]!.GetValue<int>(), Is.EqualTo(20));
            Assert.That(body["defaultAction"]!.GetValue<bool>(), Is.False);
            Assert.That(body["name"]!.GetValue<string>(), Is.EqualTo("Terms and Conditions"));
        });
    }

    [Test]
    public async Task Plan_UndeclaredRealmAttribute_SurvivesTheMergedPut()
    {
        var realm = Simulator.CreateRealm("shop");
        realm.SetSetting("attributes", new JsonObject { ["frontendUrl"] = "https://sso.example.org", ["theme"] = "old" });
        var config = Config("""{ "realm": "shop", "attributes": { "theme": "new" } }""");

        var plan = await Provisioner.PlanAsync(config);
        await Provisioner.ApplyAsync(config, plan);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Changes.Single().Fields.Single(),
                Is.EqualTo(new FieldChange("attributes.theme", JsonValue.Create("old"), JsonValue.Create("new"))).Using<FieldChange>(SameField));
            Assert.That(realm.GetSetting("attributes")!.ToJsonString(), Is.EqualTo("""{"frontendUrl":"https://sso.example.org","theme":"new"}"""));
        });
    }

    [Test]
    public async Task Plan_UserProfileAsKeycloakNormalisesIt_IsNoChange()
    {
        Simulator.CreateRealm("shop");
        // Keycloak's default profile as shipped, without the `multivalued:false` and ordering the server adds.
        var profile = File.ReadAllText(SharedData.KeycloakFile("user-profile", "keycloak-default-user-profile.json"));
        var config = Config($$"""{ "realm": "shop", "userProfile": {{profile}} }""");

        var plan = await Provisioner.PlanAsync(config);

        Assert.That(plan.Changes, Is.Empty, string.Join("; ", plan.Changes.SelectMany(change => change.Fields).Select(field => field.Path)));
    }

    [Test]
    public async Task Plan_UserProfileDroppingAnAttribute_ShowsWhichOne()
    {
        Simulator.CreateRealm("shop");
        var profile = JsonNode.Parse(File.ReadAllText(SharedData.KeycloakFile("user-profile", "keycloak-default-user-profile.json")))!.AsObject();
        profile["attributes"] = new JsonArray(profile["attributes"]!.AsArray()
            .Where(attribute => attribute!["name"]!.GetValue<string>() != "lastName")
            .Select(attribute => attribute!.DeepClone())
            .ToArray());
        var config = Config($$"""{ "realm": "shop", "userProfile": {{profile.ToJsonString()}} }""");

        var plan = await Provisioner.PlanAsync(config);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Changes.Single().Fields.Select(field => field.Path), Is.EqualTo(new[] { "attributes.lastName" }));
            Assert.That(plan.Changes.Single().Fields.Single().After, Is.Null);
            Assert.That(plan.UsersAreAskedFor, Is.EqualTo(new[] { "username", "email", "firstName" }));
        });
    }

    [Test]
    public async Task Apply_WithEveryLogLevelOn_NoSecretOrTokenIsLogged()
    {
        using var logs = new CapturingLoggerProvider();
        using var logged = LoggedServices(logs);
        var loggedProvisioner = new RealmProvisioner(logged.GetRequiredService<KeycloakAdminClient>());
        Simulator.CreateRealm("shop");
        var config = Config("""
            { "realm": "shop",
              "identityProviders": [ { "alias": "google", "providerId": "google", "config": { "clientId": "id", "clientSecret": "idp-secret-8c1f" } } ],
              "clients": [ { "clientId": "app", "publicClient": false, "secret": "client-secret-2e7a" } ] }
            """);

        var result = await loggedProvisioner.ApplyAsync(config, await loggedProvisioner.PlanAsync(config));

        var tokens = Simulator.Requests.Select(request => request.Authorization?.Replace("Bearer ", "", StringComparison.Ordinal)).OfType<string>().Distinct().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(logs.Lines, Is.Not.Empty, "the test must see the HTTP logs to mean anything");
            foreach (var secret in tokens.Append(Simulator.AdminClientSecret).Append("idp-secret-8c1f").Append("client-secret-2e7a"))
            {
                Assert.That(logs.Lines.Any(line => line.Contains(secret, StringComparison.Ordinal)), Is.False, $"a secret starting {secret[..4]} was logged");
            }
        });
    }

    private static bool SameField(FieldChange left, FieldChange right) =>
        left.Path == right.Path && JsonNode.DeepEquals(left.Before, right.Before) && JsonNode.DeepEquals(left.After, right.After) && left.Sensitive == right.Sensitive;

}

/// <summary>Keeps every log line, at every level, with its exception, for tests that look for what must not be there.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return lines.ToList();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner.lines)
            {
                owner.lines.Add($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
