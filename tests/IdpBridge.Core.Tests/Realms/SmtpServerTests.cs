using System.Text.Json.Nodes;
using IdpBridge.Core.Realms;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Realms;

/// <summary>
/// The realm's <c>smtpServer</c> as a managed setting: loaded with its password from the environment only, planned
/// against a server that masks the stored password (as Keycloak 26.7.3 does), converging without rewriting it.
/// </summary>
public sealed class SmtpServerTests
{
    private const string Password = "smtp-pass-4d7e19";

    private const string Declared = """
        { "realm": "shop",
          "smtpServer": { "host": "smtp.example.org", "port": "587", "from": "noreply@example.org", "auth": "true",
                          "user": "mailer", "password": "${env:SMTP_PASSWORD}", "starttls": "true" } }
        """;

    private SimulatedProvisioning keycloak = null!;

    private KeycloakSimulator Simulator => keycloak.Simulator;

    private RealmProvisioner Provisioner => keycloak.Provisioner;

    [SetUp]
    public void Start() => keycloak = new SimulatedProvisioning();

    [TearDown]
    public void Stop() => keycloak.Dispose();

    [Test]
    public void Parse_PasswordFromEnvironment_IsResolvedAndManaged()
    {
        var config = Config(Declared, Password);

        Assert.Multiple(() =>
        {
            Assert.That(config.SmtpServer!["password"], Is.EqualTo(Password));
            Assert.That(config.SmtpServer["port"], Is.EqualTo("587"));
            Assert.That(config.IgnoredSections, Is.Empty);
        });
    }

    [TestCase("""{ "realm": "r", "smtpServer": { "host": "h", "password": "hunter2-literal" } }""",
        "realm.json:1:58: $.smtpServer.password: the SMTP password is written in the file: " +
        "reference it from the environment instead (\"${env:SMTP_PASSWORD}\"), or write ********** to keep the password Keycloak stores")]
    [TestCase("""{ "realm": "r", "smtpServer": { "host": "h", "port": 2525 } }""",
        "realm.json:1:54: $.smtpServer.port: expected a string (smtpServer settings (write \"port\": \"2525\") map strings to strings), got the number 2525")]
    [TestCase("""{ "realm": "r", "smtpServer": "smtp.example.org" }""",
        "realm.json:1:31: $.smtpServer: expected an object, got the string \"smtp.example.org\"")]
    public void Parse_BadSmtpServer_IsRefusedWithoutEchoingThePassword(string json, string expected)
    {
        var exception = Assert.Throws<RealmConfigException>(() => RealmConfigLoader.Parse(json, "realm.json", _ => null))!;

        Assert.Multiple(() =>
        {
            Assert.That(exception.Message, Is.EqualTo(expected));
            Assert.That(exception.Message, Does.Not.Contain("hunter2"));
        });
    }

    [Test]
    public async Task Apply_ThenPlan_ConvergesWithoutRewritingThePassword()
    {
        Simulator.CreateRealm("shop");
        var config = Config(Declared, Password);

        var first = await Provisioner.PlanAsync(config);
        await Provisioner.ApplyAsync(config, first);
        var writesBefore = RealmWrites();
        var second = await Provisioner.PlanAsync(config);
        await Provisioner.ApplyAsync(config, second);

        var change = first.Changes.Single(c => c.ResourceType == "smtp-server");
        Assert.Multiple(() =>
        {
            Assert.That(change.Kind, Is.EqualTo(ChangeKind.Create));
            Assert.That(change.Fields.Single(f => f.Path == "password"), Is.EqualTo(new FieldChange("password", null, null, Sensitive: true)));
            Assert.That(StoredSmtp()["password"]!.GetValue<string>(), Is.EqualTo(Password));
            Assert.That(StoredSmtp()[SmtpServerPlanner.PasswordHashKey]!.GetValue<string>(), Does.StartWith("hmac-sha256:").And.Not.Contain(Password));
            Assert.That(second.IsEmpty, Is.True, string.Join("; ", second.Changes.SelectMany(c => c.Fields).Select(f => f.Path)));
            Assert.That(RealmWrites(), Is.EqualTo(writesBefore), "a clean plan writes nothing");
        });
    }

    [Test]
    public async Task Plan_PasswordChangedInEnvironment_WritesOnlyThenAndNeverShowsIt()
    {
        Simulator.CreateRealm("shop");
        var old = Config(Declared, Password);
        await Provisioner.ApplyAsync(old, await Provisioner.PlanAsync(old));
        var rotated = Config(Declared, "rotated-pass-93b2");

        var plan = await Provisioner.PlanAsync(rotated);
        await Provisioner.ApplyAsync(rotated, plan);

        var put = Simulator.Requests.Last(request => request.Method == "PUT" && request.Path.EndsWith("/realms/shop", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(plan.Changes.Select(c => $"{c.Kind} {c}"), Is.EqualTo(new[] { "Update smtp-server shop" }));
            Assert.That(plan.Changes.Single().Fields, Is.EqualTo(new[] { new FieldChange("password", null, null, Sensitive: true) }));
            Assert.That(JsonNode.Parse(put.Body!)!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "smtpServer" }), "the PUT carries only the mail server");
            Assert.That(StoredSmtp()["password"]!.GetValue<string>(), Is.EqualTo("rotated-pass-93b2"));
        });
    }

    [Test]
    public async Task Apply_HostChangedAndUndeclaredKeyLive_SendsMaskKeepsPasswordAndTheKey()
    {
        var realm = Simulator.CreateRealm("shop");
        var config = Config(Declared, Password);
        await Provisioner.ApplyAsync(config, await Provisioner.PlanAsync(config));
        var live = StoredSmtp();
        live["replyTo"] = "help@example.org";
        realm.SetSetting("smtpServer", live);
        var moved = Config(Declared.Replace("smtp.example.org", "mail.example.org", StringComparison.Ordinal), Password);

        var plan = await Provisioner.PlanAsync(moved);
        await Provisioner.ApplyAsync(moved, plan);

        var put = Simulator.Requests.Last(request => request.Method == "PUT" && request.Path.EndsWith("/realms/shop", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(plan.Changes.Single().Fields.Select(f => $"{f.Path}: {f.Before} -> {f.After}"), Is.EqualTo(new[] { "host: smtp.example.org -> mail.example.org" }));
            Assert.That(put.Body, Does.Not.Contain(Password), "an unchanged password is not sent again");
            Assert.That(StoredSmtp()["password"]!.GetValue<string>(), Is.EqualTo(Password));
            Assert.That(StoredSmtp()["replyTo"]!.GetValue<string>(), Is.EqualTo("help@example.org"));
        });
    }

    [Test]
    public async Task Export_ThenPlan_MasksThePasswordDropsTheHashAndPlansNothing()
    {
        Simulator.CreateRealm("shop");
        var config = Config(Declared, Password);
        await Provisioner.ApplyAsync(config, await Provisioner.PlanAsync(config));

        var exported = await keycloak.Exporter.ExportAsync("shop");
        var replanned = await Provisioner.PlanAsync(RealmConfigLoader.Parse(
            new JsonObject { ["realm"] = "shop", ["smtpServer"] = exported["smtpServer"]!.DeepClone() }.ToJsonString(), "export.json", _ => null).Config);

        Assert.Multiple(() =>
        {
            Assert.That(exported["smtpServer"]!["password"]!.GetValue<string>(), Is.EqualTo("**********"));
            Assert.That(exported["smtpServer"]!.AsObject().ContainsKey(SmtpServerPlanner.PasswordHashKey), Is.False);
            Assert.That(exported.ToJsonString(), Does.Not.Contain(Password));
            Assert.That(replanned.IsEmpty, Is.True);
        });
    }

    [Test]
    public async Task Plan_NewRealm_ListsTheMailServerWithThePasswordSensitive()
    {
        var plan = await Provisioner.PlanAsync(Config(Declared, Password));

        var change = plan.Changes.Single(c => c.ResourceType == "smtp-server");
        Assert.Multiple(() =>
        {
            Assert.That(change.Fields.Select(f => f.Path), Is.EqualTo(new[] { "auth", "from", "host", "password", "port", "starttls", "user" }));
            Assert.That(change.Fields.Single(f => f.Path == "password").Sensitive, Is.True);
            Assert.That(change.Fields.Any(f => f.After?.ToJsonString().Contains(Password, StringComparison.Ordinal) == true), Is.False);
        });
    }

    private static RealmConfig Config(string json, string password) =>
        RealmConfigLoader.Parse(json, "realm.json", name => name == "SMTP_PASSWORD" ? password : null).Config;

    private JsonObject StoredSmtp() => Simulator.Realm("shop").GetSetting("smtpServer")!.AsObject();

    private int RealmWrites() => Simulator.Requests.Count(request => request.Method == "PUT" && request.Path.EndsWith("/realms/shop", StringComparison.Ordinal));
}
