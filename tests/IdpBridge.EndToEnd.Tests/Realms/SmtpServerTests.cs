using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Realms;

/// <summary>The realm file's <c>smtpServer</c> through the real CLI against the real server, which masks the stored password.</summary>
public sealed class SmtpServerTests
{
    [Test]
    public async Task ApplyPlanRotate_PasswordFromEnvironment_MaskedByTheServerNeverPrintedWrittenOnlyWhenItChanges()
    {
        using var real = await RealServer.SharedAsync();
        await using var realm = DemoRealm.CopyInAdminApiMode(real.Admin);
        var config = realm.ReadConfig();
        config["smtpServer"] = new JsonObject
        {
            ["host"] = "127.0.0.1", ["port"] = "2525", ["from"] = "noreply@externos.example", ["auth"] = "true",
            ["user"] = "mailer", ["password"] = "${env:SMTP_PASSWORD}", ["starttls"] = "false",
        };
        realm.WriteConfig(config);
        var cli = real.Cli();
        cli.Environment["SMTP_PASSWORD"] = "smtp-first-7a21c4";

        var apply = await cli.RunAsync("realm", "apply", realm.Folder, "--auto-approve");
        var live = await SmtpServerAsync(real, realm.Name);
        var clean = await cli.RunAsync("realm", "plan", realm.Folder, "--output", "json");
        cli.Environment["SMTP_PASSWORD"] = "smtp-rotated-0d93e8";
        var rotated = await cli.RunAsync("realm", "plan", realm.Folder, "--output", "json");
        var reapply = await cli.RunAsync("realm", "apply", realm.Folder, "--auto-approve");
        var afterRotation = await cli.RunAsync("realm", "plan", realm.Folder, "--output", "json");

        var printed = string.Join("\n", new[] { apply, clean, rotated, reapply, afterRotation }.Select(run => run.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(apply.ExitCode, Is.EqualTo(0), apply.ToString());
            Assert.That(apply.Output, Does.Contain("smtp-server"));
            Assert.That(live["host"]!.GetValue<string>(), Is.EqualTo("127.0.0.1"));
            Assert.That(live["password"]!.GetValue<string>(), Is.EqualTo("**********"), "the server shows the stored password masked");
            Assert.That(live["idpbridge.passwordHash"]!.GetValue<string>(), Does.StartWith("hmac-sha256:"));
            Assert.That(SmtpChanges(clean), Is.Empty, "applied and unchanged: nothing to do for the mail server");
            Assert.That(SmtpChanges(rotated), Is.EqualTo(new[] { "password (sensitive)" }), "a new password in the environment is one sensitive change");
            Assert.That(reapply.ExitCode, Is.EqualTo(0), reapply.ToString());
            Assert.That(SmtpChanges(afterRotation), Is.Empty);
            Assert.That(printed, Does.Not.Contain("smtp-first-7a21c4").And.Not.Contain("smtp-rotated-0d93e8"), "the password is never printed");
        });
    }

    private static async Task<JsonObject> SmtpServerAsync(RealServer real, string realm) =>
        (await real.Admin.GetAsync($"realms/{Uri.EscapeDataString(realm)}"))!["smtpServer"]!.AsObject();

    private static List<string> SmtpChanges(CliRun plan) =>
        JsonNode.Parse(plan.Output)!["changes"]!.AsArray()
            .Where(change => change!["resourceType"]!.GetValue<string>() == "smtp-server")
            .SelectMany(change => change!["fields"]!.AsArray())
            .Select(field => $"{field!["path"]} {(field["sensitive"]!.GetValue<bool>() ? "(sensitive)" : field["after"]?.ToJsonString())}")
            .ToList();
}
