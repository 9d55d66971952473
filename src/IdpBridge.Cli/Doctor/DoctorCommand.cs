using System.CommandLine;
using IdpBridge.Core.Doctor;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Cli.Doctor;

/// <summary><c>idpbridge doctor --realm R</c>: checks what IdpBridge needs of Keycloak and of its store, and says what to fix.</summary>
internal static class DoctorCommand
{
    public static Command Build(CliContext context)
    {
        var realm = new Option<string>("--realm") { Description = "the realm IdpBridge works on", Required = true };
        realm.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is not { Length: > 0 and <= 255 } name || name.Any(char.IsControl))
            {
                result.AddError("--realm must be a realm name of 1 to 255 characters.");
            }
        });
        var features = new Option<string[]>("--feature")
        {
            Description = "check only the roles of this feature (repeatable): plan, apply, publish, rollout, ledger; default all (rollout only in Admin API mode)",
        };
        features.AcceptOnlyFromAmong([.. Enum.GetValues<IdpBridgeFeature>().Select(RoleName)]);
        var output = new Option<string>("--output") { Description = "text (default) or json, for CI", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var connection = new CliServices();
        var command = new Command("doctor", """
            Check what IdpBridge needs, one line each, ok / warning / problem, and for each non-ok what to fix:
            Keycloak reachable (and its version), the admin token issued, the realm readable, the terms step on (the
            bridge's idpbridge-terms in bridge mode, TERMS_AND_CONDITIONS enabled and default in Admin API mode), the
            realm-management roles of each feature (plan, apply, publish, rollout, ledger; as the README's Security
            section lists them), the events the record reads and their expiration, and the store (reachable, migrated).
            Reads only: writes nothing to Keycloak or the store.
            Exit codes: 0 no problem (warnings allowed), 1 a problem, 64 usage error.
            Example: idpbridge doctor --realm externos --feature publish --feature ledger
            """)
        {
            realm, features, output,
        };
        connection.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = parseResult.GetValue(output) == "json";
            try
            {
                using var services = connection.BuildServices(parseResult, context);
                await CliVerbose.DescribeStoreAsync(parseResult, services, context.Error).ConfigureAwait(false);
                var selected = (parseResult.GetValue(features) ?? [])
                    .Select(name => Enum.GetValues<IdpBridgeFeature>().Single(feature => RoleName(feature) == name))
                    .Distinct()
                    .ToList();
                var report = await ActivatorUtilities.CreateInstance<RealmDoctor>(services)
                    .CheckAsync(parseResult.GetValue(realm)!, selected, cancellationToken).ConfigureAwait(false);
                await WriteAsync(context.Output, report, json).ConfigureAwait(false);
                return report.HasProblems ? IdpBridgeCommand.ExitCodes.Error : IdpBridgeCommand.ExitCodes.Success;
            }
            catch (Exception exception) when (CliFailure.IsReportable(exception))
            {
                return await context.FailAsync(exception, json).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static string RoleName(IdpBridgeFeature feature) => feature.ToString().ToLowerInvariant();

    private static async Task WriteAsync(TextWriter output, DoctorReport report, bool json)
    {
        var lines = report.Findings.Select(finding => (finding, text: DoctorTexts.Describe(finding))).ToList();
        var problems = report.Findings.Count(finding => finding.Status == DoctorStatus.Problem);
        var warnings = report.Findings.Count(finding => finding.Status == DoctorStatus.Warning);
        if (json)
        {
            await output.WriteLineAsync(CliJson.Serialize(new DoctorJson(
                report.Realm,
                problems == 0,
                problems,
                warnings,
                lines.Select(line => new DoctorFindingJson(line.finding.Code, line.finding.Status, line.text.What, line.text.Fix, line.finding.Facts)),
                report.NotChecked))).ConfigureAwait(false);
            return;
        }

        foreach (var (finding, (what, fix)) in lines)
        {
            var status = finding.Status switch { DoctorStatus.Ok => "ok     ", DoctorStatus.Warning => "warning", _ => "problem" };
            await output.WriteLineAsync($"{status}  {what}  [{finding.Code}]").ConfigureAwait(false);
            if (fix is not null)
            {
                await output.WriteLineAsync($"         fix: {fix}").ConfigureAwait(false);
            }
        }

        if (report.NotChecked.Count > 0)
        {
            await output.WriteLineAsync($"not checked (they need the checks above): {string.Join(", ", report.NotChecked)}").ConfigureAwait(false);
        }

        await output.WriteLineAsync(problems == 0
            ? $"Realm '{report.Realm}': no problem{(warnings > 0 ? $", {warnings} warning{(warnings == 1 ? "" : "s")}" : "")}."
            : $"Realm '{report.Realm}': {problems} problem{(problems == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")}.").ConfigureAwait(false);
    }
}
