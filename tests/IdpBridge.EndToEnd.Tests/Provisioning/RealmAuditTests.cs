using System.Diagnostics;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Provisioning;

/// <summary>
/// <c>idpbridge realm audit</c> on the real Keycloak: the demo realm as <c>realm apply</c> makes it is clean; a copy
/// polluted once with each kind of excess gives each finding once; <c>--reveal-unmanaged</c> sees what Keycloak hides
/// and puts the user profile back exactly, also after Ctrl+C.
/// </summary>
public sealed class RealmAuditTests : ProvisioningFixture
{
    [Test]
    public async Task Audit_CleanDemoRealm_NoFindingExitZero()
    {
        await using var demo = DemoRealm.Copy(Admin);
        await ApplyAsync(demo);
        await Admin.CreateUserAsync(demo.Name, People.Representation($"ana@{demo.Name}.example", "Ana", "Pérez", "pw-7f3a9c1e"));

        var json = await IdpbridgeAsync("realm", "audit", demo.Name, "--config", demo.Folder, "--reveal-unmanaged", "--detailed-exitcode", "--output", "json");
        var text = await IdpbridgeAsync("realm", "audit", demo.Name, "--detailed-exitcode");

        var report = JsonNode.Parse(json.Output)!;
        Assert.Multiple(() =>
        {
            Assert.That(json.ExitCode, Is.EqualTo(0), json.ToString());
            Assert.That(report["findings"]!.GetValue<int>(), Is.EqualTo(0), json.Output);
            Assert.That(report["scan"]!["users"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(report["scan"]!["visibility"]!.GetValue<string>(), Is.EqualTo("revealed"));
            Assert.That(json.Error, Does.Contain("scanning users: 1/1"));
            Assert.That(text.ExitCode, Is.EqualTo(0), text.ToString());
            Assert.That(text.Output, Does.Contain("No findings").And.Contain("--reveal-unmanaged"), "unrevealed, the report says what Keycloak hid");
        });
    }

    [Test]
    public async Task Audit_PollutedRealm_EachFindingOnceExitTwo()
    {
        await using var demo = DemoRealm.Copy(Admin);
        await ApplyAsync(demo);
        var realm = $"realms/{demo.Name}";

        // Each kind of excess, once.
        var profile = (await ReadAsync(demo, "/users/profile")).AsObject();
        profile["attributes"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "phoneNumber",
            ["displayName"] = "Phone",
            ["permissions"] = new JsonObject { ["view"] = new JsonArray("admin"), ["edit"] = new JsonArray("admin") },
        });
        profile["unmanagedAttributePolicy"] = "ENABLED";
        await WriteAsync(demo, "/users/profile", profile);
        var person = People.Representation($"bo@{demo.Name}.example", "Bo", "Ruiz", "pw-2b8d4e6f");
        person["attributes"] = new JsonObject { ["nationalId"] = new JsonArray("20-12345678-3") };
        await Admin.CreateUserAsync(demo.Name, person);
        await WriteAsync(demo, "", new JsonObject { ["registrationEmailAsUsername"] = false });
        await Admin.SendAsync(HttpMethod.Post, $"{realm}/identity-provider/instances/google/mappers", new JsonObject
        {
            ["name"] = "department",
            ["identityProviderAlias"] = "google",
            ["identityProviderMapper"] = "oidc-user-attribute-idp-mapper",
            ["config"] = new JsonObject { ["claim"] = "department", ["user.attribute"] = "department", ["syncMode"] = "INHERIT" },
        });
        var gitlab = (await ReadAsync(demo, "/identity-provider/instances/gitlab")).AsObject();
        gitlab["storeToken"] = true;
        await WriteAsync(demo, "/identity-provider/instances/gitlab", gitlab);
        var address = (await ReadAsync(demo, "/client-scopes")).AsArray().Single(scope => scope!["name"]!.GetValue<string>() == "address")!["id"]!.GetValue<string>();
        var app = (await ReadAsync(demo, "/clients?clientId=demo-app")).AsArray().Single()!["id"]!.GetValue<string>();
        await WriteAsync(demo, $"/clients/{app}/optional-client-scopes/{address}", new JsonObject());
        var page = (await ReadAsync(demo, "/clients?clientId=idpbridge-admin-page")).AsArray().Single()!["id"]!.GetValue<string>();
        await Admin.SendAsync(HttpMethod.Post, $"{realm}/clients/{page}/protocol-mappers/models", new JsonObject
        {
            ["name"] = "department",
            ["protocol"] = "openid-connect",
            ["protocolMapper"] = "oidc-usermodel-attribute-mapper",
            ["config"] = new JsonObject { ["user.attribute"] = "department", ["claim.name"] = "department", ["id.token.claim"] = "true", ["access.token.claim"] = "true" },
        });
        var events = (await ReadAsync(demo, "/events/config")).AsObject();
        events["enabledEventTypes"]!.AsArray().Add("UPDATE_PROFILE");
        events["adminEventsEnabled"] = true;
        events["adminEventsDetailsEnabled"] = true;
        await WriteAsync(demo, "/events/config", events);

        var json = await IdpbridgeAsync("realm", "audit", demo.Name, "--config", demo.Folder, "--detailed-exitcode", "--output", "json");
        var text = await IdpbridgeAsync("realm", "audit", demo.Name, "--config", demo.Folder, "--detailed-exitcode");

        var findings = JsonNode.Parse(json.Output)!["results"]!.AsArray()
            .Where(result => result!["severity"]!.GetValue<string>() == "finding")
            .Select(result => $"{result!["code"]!.GetValue<string>()} {result["where"]!.GetValue<string>()}")
            .ToList();
        string[] expected =
        [
            "user_profile_undeclared_attribute userProfile.attributes[phoneNumber]",
            "user_profile_unmanaged_attributes userProfile.unmanagedAttributePolicy",
            "stored_attributes_undeclared users[*].attributes[nationalId]",
            "registration_username_asked registrationEmailAsUsername",
            "identity_provider_store_token identityProviders[gitlab].storeToken",
            "identity_provider_mapper_imports_undeclared identityProviders[google].mappers[department]",
            "tokens_undeclared_scope clients[demo-app].optionalClientScopes[address]",
            "tokens_client_mapper clients[idpbridge-admin-page].protocolMappers[department]",
            "events_extra_types events.enabledEventTypes",
            "events_admin_representations events.adminEventsDetailsEnabled",
        ];
        Assert.Multiple(() =>
        {
            Assert.That(json.ExitCode, Is.EqualTo(2), json.ToString());
            Assert.That(findings, Is.EqualTo(expected), json.Output);
            Assert.That(json.Output, Does.Not.Contain("20-12345678-3"), "a stored value is never printed");
            Assert.That(text.ExitCode, Is.EqualTo(2), text.ToString());
            Assert.That(text.Output, Does.Contain("FINDING users[*].attributes[nationalId]").And.Contain("1 of 1 users store 'nationalId'")
                .And.Contain("fix: Delete the mapper")
                .And.EndWith("10 findings, " + (JsonNode.Parse(json.Output)!["informational"]!.GetValue<int>()) + " informational." + Environment.NewLine));
        });
    }

    [Test]
    public async Task Audit_RevealUnmanaged_SeesWhatKeycloakHidesAndRestoresTheProfileExactly()
    {
        await using var demo = DemoRealm.Copy(Admin);
        await ApplyAsync(demo);
        await StoreUnmanagedAsync(demo, 1);
        var before = await ReadAsync(demo, "/users/profile");

        var hidden = await IdpbridgeAsync("realm", "audit", demo.Name, "--detailed-exitcode", "--output", "json");
        var revealed = await IdpbridgeAsync("realm", "audit", demo.Name, "--reveal-unmanaged", "--detailed-exitcode", "--output", "json");
        var after = await ReadAsync(demo, "/users/profile");

        var codes = JsonNode.Parse(revealed.Output)!["results"]!.AsArray().Select(result => result!["code"]!.GetValue<string>()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(before.AsObject().ContainsKey("unmanagedAttributePolicy"), Is.False);
            Assert.That(hidden.ExitCode, Is.EqualTo(0), "Keycloak hid the stored attribute: " + hidden);
            Assert.That(hidden.Output, Does.Contain("stored_attributes_hidden"));
            Assert.That(revealed.ExitCode, Is.EqualTo(2), revealed.ToString());
            Assert.That(codes.Count(code => code == "stored_attributes_undeclared"), Is.EqualTo(1), revealed.Output);
            Assert.That(codes, Does.Contain("stored_attributes_idpbridge_acceptance").And.Contain("stored_attributes_revealed"));
            Assert.That(JsonNode.DeepEquals(after, before), Is.True, $"the profile was put back exactly:\n{before}\n---\n{after}");
        });
    }

    [Test]
    public async Task Audit_RevealInterruptedByCtrlC_ProfileRestored()
    {
        await using var demo = DemoRealm.Copy(Admin);
        await ApplyAsync(demo);
        // Enough users, a page each, that the scan takes seconds; the signal comes once the progress line has been
        // printed a second time (at most one a second), so the scan is surely under way and not yet done, however fast
        // the machine (80 and 600 users were scanned in full before a signal sent at the first line on 2 December).
        await StoreUnmanagedAsync(demo, 2000);
        var before = await ReadAsync(demo, "/users/profile");

        using var running = Server.Cli().StartInterruptible("realm", "audit", demo.Name, "--reveal-unmanaged", "--page-size", "1");
        var watch = Stopwatch.StartNew();
        while (CountOf(running.Error, "scanning users: ") < 2 && !running.HasExited && watch.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(50);
        }

        var during = await ReadAsync(demo, "/users/profile");
        using (var signal = Process.Start("kill", ["-INT", running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        var run = await running.WaitAsync(TimeSpan.FromMinutes(2));
        var after = await ReadAsync(demo, "/users/profile");

        Assert.Multiple(() =>
        {
            Assert.That(during["unmanagedAttributePolicy"]?.GetValue<string>(), Is.EqualTo("ADMIN_VIEW"), "interrupted during the scan: " + run);
            Assert.That(run.ExitCode, Is.Not.EqualTo(0), run.ToString());
            Assert.That(run.Output, Does.Not.Contain("FINDING"), "no report of a scan cut short");
            Assert.That(JsonNode.DeepEquals(after, before), Is.True, $"the profile was put back exactly:\n{before}\n---\n{after}");
        });
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Stores, with unmanaged attributes allowed for a moment, an undeclared attribute and the bridge's acceptance on
    /// <paramref name="count"/> users (as imports and the bridge leave them), then unsets the policy again.
    /// </summary>
    private async Task StoreUnmanagedAsync(DemoRealm demo, int count)
    {
        var profile = (await ReadAsync(demo, "/users/profile")).AsObject();
        var open = profile.DeepClone().AsObject();
        open["unmanagedAttributePolicy"] = "ADMIN_EDIT";
        await WriteAsync(demo, "/users/profile", open);
        var users = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            // No password: hashing one per imported user is what makes a partial import slow.
            var person = People.Representation($"user{i:000}@{demo.Name}.example", "Eva", "Luna", "unused");
            person.Remove("credentials");
            person["attributes"] = new JsonObject
            {
                ["nationalId"] = new JsonArray($"27-{i:00000000}-4"),
                ["idpbridge.terms.acceptedVersion"] = new JsonArray("1"),
            };
            person["realmRoles"] = new JsonArray($"default-roles-{demo.Name}");
            users.Add(person);
        }

        await Admin.ImportUsersAsync(demo.Name, users);
        await WriteAsync(demo, "/users/profile", profile);
    }
}
