using IdpBridge.Cli.Tests.Realms;
using IdpBridge.Testing;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Policies;

public sealed class PolicyCommandsTests
{
    private static readonly string Demo = Path.Combine(SharedData.RepositoryRoot, "realm-config", "externos", "policies", "privacy");

    private CliHarness harness = null!;

    [SetUp]
    public async Task Start()
    {
        harness = new CliHarness().UseTemporaryStore();
        harness.Settings["IdpBridge:Policies:PublicBaseUrl"] = "https://idp.example.org";
        var apply = await harness.RunAsync("realm", "apply", CliHarness.DemoRealm, "--auto-approve");
        Assert.That(apply.ExitCode, Is.Zero, apply.ToString());
    }

    [TearDown]
    public void Stop() => harness.Dispose();

    [Test]
    public async Task Publish_DemoVersionTwice_StoresOnceAndUpdatesTheTermsStep()
    {
        var first = await harness.RunAsync("policy", "publish", Path.Combine(Demo, "v1", "es.md"), Path.Combine(Demo, "v1", "en.md"), "--realm", "externos");
        var second = await harness.RunAsync("policy", "publish", Path.Combine(Demo, "v1", "es.md"), Path.Combine(Demo, "v1", "en.md"), "--realm", "externos");
        var list = await harness.RunAsync("policy", "list", "--realm", "externos");
        var show = await harness.RunAsync("policy", "show", "--realm", "externos", "--version", "1", "--locale", "en");

        var realm = harness.Simulator.Realm("externos");
        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.Zero, first.ToString());
            Assert.That(first.Output, Does.Contain("Published privacy version 1 of realm externos (material)"));
            Assert.That(first.Output, Does.Contain("Keycloak's terms step now shows version 1"));
            Assert.That(second.ExitCode, Is.Zero, second.ToString());
            Assert.That(second.Output, Does.Contain("Nothing to publish: version 1 of privacy already has exactly this text."));
            Assert.That(list.Output.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(list.Output, Does.Match(@"^\s+1\s+material"));
            Assert.That(show.Output, Does.Contain("version 1 (material)").And.Contain("locale en"));
            Assert.That(realm.GetLocalization("es")["termsText"], Does.Contain("https://idp.example.org/policies/externos/privacy/v/1?lang=es"));
        });
    }

    [Test]
    public async Task Publish_SameTextWithOnlyANewSummary_RefusedAndNothingStored()
    {
        var files = new[] { Path.Combine(Demo, "v1", "es.md"), Path.Combine(Demo, "v1", "en.md") };
        Assert.That((await harness.RunAsync(["policy", "publish", .. files, "--realm", "externos"])).ExitCode, Is.Zero);
        var before = await harness.RunAsync("policy", "show", "--realm", "externos", "--version", "1", "--output", "json");

        var again = await harness.RunAsync(["policy", "publish", .. files, "--realm", "externos", "--summary", "Now says who reads the record."]);
        var list = await harness.RunAsync("policy", "list", "--realm", "externos");
        var after = await harness.RunAsync("policy", "show", "--realm", "externos", "--version", "1", "--output", "json");

        Assert.Multiple(() =>
        {
            Assert.That(again.ExitCode, Is.EqualTo(1), again.ToString());
            Assert.That(again.Error, Does.StartWith("error: Version 1 of privacy already has exactly this text; only its summary differs (")
                .And.Contain("given 'Now says who reads the record.'").And.Contain("nothing was stored"));
            Assert.That(list.Output.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(after.Output, Is.EqualTo(before.Output), "the stored version is untouched");
        });
    }

    [Test]
    public async Task Show_OutputJson_KindIsAWord()
    {
        await harness.RunAsync("policy", "publish", Path.Combine(Demo, "v1", "es.md"), Path.Combine(Demo, "v1", "en.md"), "--realm", "externos");

        var show = await harness.RunAsync("policy", "show", "--realm", "externos", "--version", "1", "--output", "json");
        var list = await harness.RunAsync("policy", "list", "--realm", "externos", "--output", "json");

        Assert.Multiple(() =>
        {
            Assert.That(System.Text.Json.Nodes.JsonNode.Parse(show.Output)!["kind"]!.GetValue<string>(), Is.EqualTo("material"), show.ToString());
            Assert.That(System.Text.Json.Nodes.JsonNode.Parse(list.Output)![0]!["kind"]!.GetValue<string>(), Is.EqualTo("material"), list.ToString());
        });
    }

    [Test]
    public async Task Publish_KindNotice_TextAndJsonSayNotice()
    {
        // Arrange
        await harness.RunAsync("policy", "publish", Path.Combine(Demo, "v1", "es.md"), Path.Combine(Demo, "v1", "en.md"), "--realm", "externos");

        // Act
        var publish = await harness.RunAsync("policy", "publish", Path.Combine(Demo, "v2", "es.md"), Path.Combine(Demo, "v2", "en.md"),
            "--realm", "externos", "--kind", "notice", "--summary", "Se agrega GitHub");
        var list = await harness.RunAsync("policy", "list", "--realm", "externos");
        var listJson = await harness.RunAsync("policy", "list", "--realm", "externos", "--output", "json");
        var show = await harness.RunAsync("policy", "show", "--realm", "externos", "--version", "2");
        var showJson = await harness.RunAsync("policy", "show", "--realm", "externos", "--version", "2", "--output", "json");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(publish.ExitCode, Is.Zero, publish.ToString());
            Assert.That(publish.Output, Does.Contain("Published privacy version 2 of realm externos (notice)"));
            Assert.That(list.Output, Does.Match(@"\n\s+2\s+notice\s"));
            Assert.That(System.Text.Json.Nodes.JsonNode.Parse(listJson.Output)![1]!["kind"]!.GetValue<string>(), Is.EqualTo("notice"), listJson.ToString());
            Assert.That(show.Output, Does.Contain("version 2 (notice)"));
            Assert.That(System.Text.Json.Nodes.JsonNode.Parse(showJson.Output)!["kind"]!.GetValue<string>(), Is.EqualTo("notice"), showJson.ToString());
            Assert.That(harness.Simulator.Realm("externos").GetLocalization("es")["idpbridgeTermsKind"], Is.EqualTo("notice"));
        });
    }

    [Test]
    public async Task Publish_UnknownKind_UsageErrorListingTheThree()
    {
        // Act
        var run = await harness.RunAsync("policy", "publish", Path.Combine(Demo, "v1", "es.md"), "--realm", "externos", "--kind", "major");

        // Assert
        Assert.That(run.ExitCode, Is.EqualTo(64), run.ToString());
        Assert.That(run.Error, Does.Contain("major").And.Contain("notice"));
    }

    [Test]
    public async Task Publish_FirstVersionWithoutSummary_PublishedButASecondOneIsRefused()
    {
        using var first = new TempFile("---\ntitle: Privacidad\nlocale: es\nkind: material\n---\nTexto uno\n");
        using var second = new TempFile("---\ntitle: Privacidad\nlocale: es\nkind: material\n---\nTexto dos\n");

        var one = await harness.RunAsync("policy", "publish", first.Path, "--realm", "externos");
        var two = await harness.RunAsync("policy", "publish", second.Path, "--realm", "externos");
        var list = await harness.RunAsync("policy", "list", "--realm", "externos");

        Assert.Multiple(() =>
        {
            Assert.That(one.ExitCode, Is.Zero, one.ToString());
            Assert.That(one.Output, Does.Contain("Published privacy version 1 of realm externos (material)"));
            Assert.That(two.ExitCode, Is.EqualTo(1), two.ToString());
            Assert.That(two.Error, Does.Contain("a material version after the first needs a summary of what changed"));
            Assert.That(list.Output.Trim().Split('\n'), Has.Length.EqualTo(1), list.ToString());
        });
    }

    [Test]
    public async Task Publish_BinaryFile_RefusedBeforeAnythingIsStoredOrSentToKeycloak()
    {
        using var image = new TempFile();
        File.WriteAllBytes(image.Path, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]);
        var textsBefore = harness.Simulator.Realm("externos").GetLocalization("es").GetValueOrDefault("termsText");

        var run = await harness.RunAsync("policy", "publish", image.Path, "--realm", "externos", "--kind", "material", "--summary", "x");
        var list = await harness.RunAsync("policy", "list", "--realm", "externos", "--output", "json");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Error, Does.Contain($"{image.Path}: the file is not UTF-8 text"));
            Assert.That(run.Error, Does.Not.Contain("   at "), "a message, not a stack trace");
            Assert.That(list.Output.Trim(), Is.EqualTo("[]"));
            Assert.That(harness.Simulator.Realm("externos").GetLocalization("es").GetValueOrDefault("termsText"), Is.EqualTo(textsBefore));
        });
    }

    [Test]
    public async Task Publish_Draft_IsRefusedWithTheReasonAndStoresNothing()
    {
        using var draft = new TempFile("---\ntitle: Borrador\ndraft: true\nlocale: es\nkind: material\nsummary: x\n---\nTexto\n");

        var run = await harness.RunAsync("policy", "publish", draft.Path, "--realm", "externos");
        var list = await harness.RunAsync("policy", "list", "--realm", "externos", "--output", "json");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Error, Does.Contain("draft"));
            Assert.That(list.Output.Trim(), Is.EqualTo("[]"));
        });
    }

    [Test]
    public async Task Publish_EffectiveWithoutOffset_IsAUsageError()
    {
        var run = await harness.RunAsync("policy", "publish", Path.Combine(Demo, "v1", "es.md"), "--realm", "externos", "--effective", "2030-01-01T00:00:00");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(64), run.ToString());
            Assert.That(run.Error, Does.StartWith("--effective must be an ISO-8601 date or time with a zone").And.Contain("it has no time zone"));
            Assert.That(harness.Simulator.Realm("externos").GetLocalization("es"), Does.Not.ContainKey("termsText"));
        });
    }
}
