using System.CommandLine;
using IdpBridge.Cli.Tests.Realms;
using Microsoft.Extensions.Configuration;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests;

/// <summary>
/// Every command's bad usages exit 64 with a message naming the option or argument, never a stack trace. The commands
/// come from the command tree itself: a new command without cases here fails the audit.
/// </summary>
public sealed class UsageErrorAuditTests
{
    private const string Realm = "--realm=externos";

    /// <summary>Per command: its bad usages (the arguments after the command's name) and the name the message must hold.</summary>
    private static readonly Dictionary<string, (string[] Args, string Names)[]> Cases = new(StringComparer.Ordinal)
    {
        ["realm plan"] = [([], "<path>"), (["realm.json", "--output", "yaml"], "--output"), (["realm.json", "--keycloak-url", "nope"], "--keycloak-url")],
        ["realm apply"] = [([], "<path>"), (["realm.json", "--output", "xml"], "--output")],
        ["realm export"] = [([], "<realm>"), (["externos", "--file"], "--file")],
        ["realm audit"] = [([], "<realm>"), (["externos", "--page-size", "0"], "--page-size"), (["externos", "--page-size", "-5"], "--page-size"),
            (["externos", "--page-size", "many"], "--page-size"), (["externos", "--output", "yaml"], "--output")],
        ["policy publish"] = [([Realm], "<files>"), (["v1.md"], "--realm"), (["v1.md", Realm, "--effective", "tomorrow"], "--effective"),
            (["v1.md", Realm, "--effective", "2026-01-31T12:00:00"], "--effective"), (["v1.md", Realm, "--kind", "major"], "--kind")],
        ["policy list"] = [([], "--realm"), ([Realm, "--output", "yaml"], "--output")],
        ["policy show"] = [([], "--realm"), ([Realm, "--version", "0"], "--version"), ([Realm, "--version", "-2"], "--version"), ([Realm, "--output", "csv"], "--output")],
        ["rollout start"] = [([], "--realm"), ([Realm, "--max-in-flight", "0"], "--max-in-flight"), ([Realm, "--max-in-flight", "-3"], "--max-in-flight"),
            ([Realm, "--max-in-flight", "1001"], "--max-in-flight"), ([Realm, "--max-rps", "-1"], "--max-rps"), ([Realm, "--version", "0"], "--version"),
            ([Realm, "--output", "yaml"], "--output")],
        ["rollout resume"] = [([], "--realm"), ([Realm, "--max-in-flight", "0"], "--max-in-flight"), ([Realm, "--version", "-1"], "--version")],
        ["rollout status"] = [([], "--realm"), ([Realm, "--version", "0"], "--version"), ([Realm, "--output", "yaml"], "--output")],
        ["rollout cancel"] = [([], "--realm"), ([Realm, "--version", "zero"], "--version")],
        ["rollout users"] = [([], "--realm"), ([Realm, "--outcome", "lost"], "--outcome"), ([Realm, "--format", "xml"], "--format"),
            ([Realm, "--format", "csv", "--delimiter", "ab"], "--delimiter")],
        ["rollout retry"] = [([], "--realm"), ([Realm, "--max-in-flight", "0"], "--max-in-flight"), ([Realm, "--max-rps", "-2"], "--max-rps")],
        ["rollout exempt"] = [([Realm, "--reason", "left"], "--user"), ([Realm, "--user", "ana"], "--reason"),
            ([Realm, "--user", "ana", "--reason", "x", "--version", "0"], "--version")],
        ["ledger sync"] = [([], "--realm"), ([Realm, "--output", "yaml"], "--output")],
        ["ledger export"] = [([Realm], "--format"), ([Realm, "--format", "xml"], "--format"), ([Realm, "--format", "csv", "--from", "yesterday"], "--from"),
            ([Realm, "--format", "csv", "--to", "2026-01-31T12:00:00"], "--to"), ([Realm, "--format", "csv", "--delimiter", ""], "--delimiter")],
        ["ledger history"] = [([Realm], "--user"), ([Realm, "--user", "ana", "--output", "yaml"], "--output")],
        ["ledger stats"] = [([], "--realm"), ([Realm, "--version", "0"], "--version"), ([Realm, "--version", "-1"], "--version")],
        ["ledger prune"] = [([], "--realm"), ([Realm, "--output", "yaml"], "--output")],
        ["ledger verify"] = [([], "--realm"), ([Realm, "--output", "yaml"], "--output")],
        ["ledger proof"] = [([Realm], "--user"), ([Realm, "--user", "ana", "--version", "0"], "--version"), ([Realm, "--user", "ana", "--output", "pdf"], "--output")],
        ["ledger public-key"] = [(["--output", "pem"], "--output")],
        ["ledger verify-proof"] = [([], "<FILE>")],
        ["doctor"] = [([], "--realm"), ([Realm, "--feature", "all"], "--feature"), ([Realm, "--output", "yaml"], "--output")],
    };

    [Test]
    public async Task EveryCommand_BadUsage_Exit64NamingTheOptionNoStackTrace()
    {
        using var harness = new CliHarness().UseTemporaryStore();
        var context = new CliContext(TextWriter.Null, TextWriter.Null, TextReader.Null, false, new ConfigurationBuilder().Build());
        var commands = Leaves(IdpBridgeCommand.Build(context), "").ToList();
        var failures = new List<string>();

        Assert.That(commands.Except(Cases.Keys), Is.Empty, "commands without bad-usage cases: add theirs to Cases");
        foreach (var command in commands)
        {
            var path = command.Split(' ');
            foreach (var (args, names) in Cases[command].Append(([Realm, "--no-such-option"], "--no-such-option")))
            {
                var run = await harness.RunAsync([.. path, .. args]);
                if (run.ExitCode != 64 || !run.Error.Contains(names, StringComparison.Ordinal) || (run.Error + run.Output).Contains("   at ", StringComparison.Ordinal))
                {
                    failures.Add($"idpbridge {command} {string.Join(' ', args)}: exit {run.ExitCode}, expected 64 naming {names}; stderr: {run.Error.Trim()}");
                }
            }
        }

        Assert.That(failures, Is.Empty);
        Assert.That(harness.Writes, Is.Empty, "a usage error writes nothing to Keycloak");
    }

    /// <summary>Every command that runs something (no subcommands), as its path below the root (<c>realm plan</c>).</summary>
    private static IEnumerable<string> Leaves(Command command, string prefix)
    {
        if (command.Subcommands.Count == 0)
        {
            yield return prefix.Trim();
        }

        foreach (var subcommand in command.Subcommands)
        {
            foreach (var leaf in Leaves(subcommand, $"{prefix} {subcommand.Name}"))
            {
                yield return leaf;
            }
        }
    }
}
