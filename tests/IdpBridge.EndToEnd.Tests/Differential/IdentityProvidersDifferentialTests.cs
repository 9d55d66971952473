using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Differential;

/// <summary>The identity-provider requests <c>realm plan | apply | export</c> send, answered by the real server and the simulator alike.</summary>
public sealed class IdentityProvidersDifferentialTests
{
    [Test]
    public async Task CreateListGet_TheDemoProviders_SameMaskedRepresentations()
    {
        await using var both = await BothKeycloaks.StartAsync();

        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/identity-provider/instances", Google())).AssertSame();
        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/identity-provider/instances", GitLab())).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/identity-provider/instances")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/identity-provider/instances?briefRepresentation=true")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/identity-provider/instances/google")).AssertSame();
    }

    [Test]
    public async Task Create_OnlyAliasAndType_UnsetFieldsLeftOut()
    {
        await using var both = await BothKeycloaks.StartAsync();

        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/identity-provider/instances", new JsonObject
        {
            ["alias"] = "partner",
            ["providerId"] = "oidc",
            ["config"] = new JsonObject
            {
                ["clientId"] = "x",
                ["clientSecret"] = "s3cret",
                ["authorizationUrl"] = "https://partner.example/auth",
                ["tokenUrl"] = "https://partner.example/token",
            },
        })).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/identity-provider/instances/partner")).AssertSame();
    }

    [Test]
    public async Task Put_WithTheMask_KeepsTheSecretAndReplacesTheRest()
    {
        await using var both = await BothKeycloaks.StartAsync();
        await both.SendAsync(HttpMethod.Post, "realms/{realm}/identity-provider/instances", Google());
        var update = Google();
        update["trustEmail"] = false;
        update["displayName"] = "Google Workspace";
        update["config"]!["clientSecret"] = "**********";
        update["config"]!.AsObject().Remove("idpbridge.clientSecretHash");

        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/identity-provider/instances/google", update)).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/identity-provider/instances/google")).AssertSame();
        // The server cannot be asked for the stored secret; the simulator can: the mask kept it.
        Assert.That(both.Simulator.Realm(both.Realm).GetIdentityProviders().Single()["config"]!["clientSecret"]!.GetValue<string>(), Is.EqualTo("g-secret"));
    }

    [Test]
    public async Task Mappers_CreateListUpdateDelete_SameAnswers()
    {
        await using var both = await BothKeycloaks.StartAsync();
        await both.SendAsync(HttpMethod.Post, "realms/{realm}/identity-provider/instances", GitLab());
        var mapper = new JsonObject
        {
            ["name"] = "department",
            ["identityProviderAlias"] = "gitlab",
            ["identityProviderMapper"] = "hardcoded-attribute-idp-mapper",
            ["config"] = new JsonObject { ["attribute"] = "department", ["attribute.value"] = "sales", ["syncMode"] = "INHERIT" },
        };

        var created = await both.SendAsync(HttpMethod.Post, "realms/{realm}/identity-provider/instances/gitlab/mappers", mapper);
        created.AssertSame();
        both.RememberId("mapper", created);
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/identity-provider/instances/gitlab/mappers")).AssertSame();
        // IdpBridge sends the live mapper merged with the file, id included: without it 26.7.3 answers 500.
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/identity-provider/instances/gitlab/mappers/{id:mapper}", mapper)).AssertSame();
        mapper["id"] = "{id:mapper}";
        mapper["config"]!["attribute.value"] = "support";
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/identity-provider/instances/gitlab/mappers/{id:mapper}", mapper)).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/identity-provider/instances/gitlab/mappers/{id:mapper}")).AssertSame();
        (await both.SendAsync(HttpMethod.Delete, "realms/{realm}/identity-provider/instances/gitlab/mappers/{id:mapper}")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/identity-provider/instances/gitlab/mappers")).AssertSame();
    }

    [Test]
    public async Task Errors_DuplicateUnknownTypeAndAbsentAlias_SameAnswers()
    {
        await using var both = await BothKeycloaks.StartAsync();
        await both.SendAsync(HttpMethod.Post, "realms/{realm}/identity-provider/instances", Google());

        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/identity-provider/instances", Google())).AssertSame();
        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/identity-provider/instances",
            new JsonObject { ["alias"] = "nope", ["providerId"] = "no-such-provider", ["config"] = new JsonObject() })).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/identity-provider/instances/absent")).AssertSame();
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/identity-provider/instances/absent", Google())).AssertSame();
        (await both.SendAsync(HttpMethod.Delete, "realms/{realm}/identity-provider/instances/absent")).AssertSame();
    }

    [Test]
    public async Task Delete_ExistingProvider_GoneFromTheList()
    {
        await using var both = await BothKeycloaks.StartAsync();
        await both.SendAsync(HttpMethod.Post, "realms/{realm}/identity-provider/instances", Google());

        (await both.SendAsync(HttpMethod.Delete, "realms/{realm}/identity-provider/instances/google")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/identity-provider/instances")).AssertSame();
    }

    /// <summary>The demo's Google provider as IdpBridge creates it (with the hash it keeps beside the secret).</summary>
    private static JsonObject Google() => new()
    {
        ["alias"] = "google",
        ["displayName"] = "Google",
        ["providerId"] = "google",
        ["enabled"] = true,
        ["trustEmail"] = true,
        ["storeToken"] = false,
        ["addReadTokenRoleOnCreate"] = false,
        ["authenticateByDefault"] = false,
        ["linkOnly"] = false,
        ["firstBrokerLoginFlowAlias"] = "first broker login",
        ["config"] = new JsonObject
        {
            ["clientId"] = "google-client-id",
            ["clientSecret"] = "g-secret",
            ["defaultScope"] = "openid email profile",
            ["syncMode"] = "IMPORT",
            ["idpbridge.clientSecretHash"] = "hmac-sha256:x",
        },
    };

    private static JsonObject GitLab() => new()
    {
        ["alias"] = "gitlab",
        ["displayName"] = "GitLab",
        ["providerId"] = "gitlab",
        ["enabled"] = true,
        ["trustEmail"] = false,
        ["storeToken"] = false,
        ["config"] = new JsonObject
        {
            ["clientId"] = "gitlab-client-id",
            ["clientSecret"] = "gl-secret",
            ["defaultScope"] = "read_user openid",
            ["syncMode"] = "IMPORT",
        },
    };
}
