using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdpBridge.Core.Realms;
using IdpBridge.Keycloak;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Cli.Realms;

/// <summary><c>idpbridge realm plan | apply | export</c>.</summary>
internal static class RealmCommands
{
    public static Command Build(CliContext context)
    {
        var realm = new Command("realm", "Bring a Keycloak realm to the state a realm config file declares, export it, or audit what it collects.");
        realm.Subcommands.Add(Plan(context));
        realm.Subcommands.Add(Apply(context));
        realm.Subcommands.Add(Export(context));
        realm.Subcommands.Add(RealmAuditCommand.Build(context));
        return realm;
    }

    private static Command Plan(CliContext context)
    {
        var path = PathArgument();
        var detailed = new Option<bool>("--detailed-exitcode")
        {
            Description = "exit 0 when nothing would change, 2 when changes are pending, 1 on error (for CI)",
        };
        var output = OutputOption();
        var connection = new CliServices();
        var command = new Command("plan", """
            Show what 'realm apply' would change, resource by resource and field by field: + create, ~ change
            (old → new), - delete. Secrets are shown as (sensitive). Reads about one collection per resource type.
            Example: idpbridge realm plan realm-config/externos --detailed-exitcode
            """)
        {
            path, detailed, output, StrictOption(),
        };
        connection.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = parseResult.GetValue(output) == "json";
            return await RunAsync(context, parseResult, connection, parseResult.GetValue(path)!, json, async (provisioner, config) =>
            {
                var plan = await provisioner.PlanAsync(config, cancellationToken).ConfigureAwait(false);
                await PlanPrinter.WarnAsync(context.Error, plan).ConfigureAwait(false);
                PlanPrinter.Write(context.Output, plan, json);
                return parseResult.GetValue(detailed) && !plan.IsEmpty ? IdpBridgeCommand.ExitCodes.ChangesPending : IdpBridgeCommand.ExitCodes.Success;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Apply(CliContext context)
    {
        var path = PathArgument();
        var autoApprove = new Option<bool>("--auto-approve")
        {
            Description = "apply without asking (required when no one is at the terminal, e.g. in CI)",
        };
        var output = OutputOption();
        var connection = new CliServices();
        var command = new Command("apply", """
            Plan, show the plan, ask for 'yes' (or --auto-approve), then apply in dependency order: the realm (created
            when missing), user profile, required actions, clients and their service-account roles, identity
            providers, their mappers, realm texts, and deletions last. Stops at the first failure, says what was and
            was not done; running it again converges. Applying twice writes nothing the second time.
            Example: idpbridge realm apply realm-config/externos --auto-approve
            """)
        {
            path, autoApprove, output, StrictOption(),
        };
        connection.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = parseResult.GetValue(output) == "json";
            return await RunAsync(context, parseResult, connection, parseResult.GetValue(path)!, json, async (provisioner, config) =>
            {
                var plan = await provisioner.PlanAsync(config, cancellationToken).ConfigureAwait(false);
                await PlanPrinter.WarnAsync(context.Error, plan).ConfigureAwait(false);
                if (plan.IsEmpty)
                {
                    PlanPrinter.Write(context.Output, plan, json);
                    return IdpBridgeCommand.ExitCodes.Success;
                }

                if (!json)
                {
                    PlanPrinter.Write(context.Output, plan, json: false);
                }

                if (!parseResult.GetValue(autoApprove))
                {
                    if (!context.IsInteractive)
                    {
                        // The command line lacks what this run needs: a usage error, as everywhere.
                        await context.Error.WriteLineAsync("error: no one is at the terminal to approve the plan: run again with --auto-approve.").ConfigureAwait(false);
                        return IdpBridgeCommand.ExitCodes.Usage;
                    }

                    await context.Output.WriteAsync($"Apply these changes to realm '{plan.RealmName}'? Only 'yes' is accepted: ").ConfigureAwait(false);
                    if ((await context.Input.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim() != "yes")
                    {
                        await context.Output.WriteLineAsync("Apply cancelled; nothing was changed.").ConfigureAwait(false);
                        return IdpBridgeCommand.ExitCodes.Error;
                    }
                }

                var progress = json ? null : new SyncProgress(change => context.Output.WriteLine($"  done {PlanPrinter.Symbol(change.Kind)} {change}"));
                var result = await provisioner.ApplyAsync(config, plan, progress, cancellationToken).ConfigureAwait(false);
                PlanPrinter.WriteResult(context.Output, context.Error, plan, result, json);
                return result.Succeeded ? IdpBridgeCommand.ExitCodes.Success : IdpBridgeCommand.ExitCodes.Error;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Export(CliContext context)
    {
        var realmName = new Argument<string>("realm") { Description = "the live realm to export" };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "write to this file instead of standard output" };
        var force = new Option<bool>("--force") { Description = "replace the --file if it exists, keeping its ${env:...} references and x-idpbridge settings" };
        var connection = new CliServices();
        var command = new Command("export", """
            Write the live realm's managed resources (settings, attributes, user profile, required actions,
            identity providers and mappers, non-built-in clients and their service-account roles, realm texts) as a
            realm config file, so an existing realm can be adopted: planning the export right away shows no changes.
            Stored secrets are written as Keycloak's mask "**********", which means "keep the stored secret".
            The terms step's texts are left out: IdpBridge's policy publication writes them. An existing file is
            replaced only with --force, and keeps its ${env:...} references and x-idpbridge settings.
            Example: idpbridge realm export externos -f realm-config/externos/realm.json
            """)
        {
            realmName, file, force,
        };
        connection.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                var target = parseResult.GetValue(file);
                if (target is { Exists: true } && !parseResult.GetValue(force))
                {
                    throw new CliInputException(
                        $"{target.FullName} exists: realm export replaces a file only with --force (which keeps its ${{env:...}} references and x-idpbridge settings).");
                }

                using var services = connection.BuildServices(parseResult, context);
                var exporter = new RealmExporter(services.GetRequiredService<KeycloakAdminClient>());
                var exported = await exporter.ExportAsync(parseResult.GetValue(realmName)!, cancellationToken).ConfigureAwait(false);
                if (target is { Exists: true })
                {
                    ExportOverExisting.Keep(exported, ExistingConfig(target));
                }

                var text = exported.ToJsonString(CliJson.Output) + Environment.NewLine;
                if (target is not null)
                {
                    // Write beside, then move: a failure never leaves half a file where the config was.
                    var temporary = target.FullName + ".tmp";
                    await File.WriteAllTextAsync(temporary, text, cancellationToken).ConfigureAwait(false);
                    File.Move(temporary, target.FullName, overwrite: true);
                    await context.Error.WriteLineAsync($"Realm '{parseResult.GetValue(realmName)}' exported to {target.FullName}.").ConfigureAwait(false);
                }
                else
                {
                    await context.Output.WriteAsync(text).ConfigureAwait(false);
                }

                return IdpBridgeCommand.ExitCodes.Success;
            }
            catch (Exception exception) when (CliFailure.IsReportable(exception))
            {
                return await context.FailAsync(exception, json: false).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        CliContext context,
        ParseResult parseResult,
        CliServices connection,
        string path,
        bool json,
        Func<RealmProvisioner, RealmConfig, Task<int>> run)
    {
        try
        {
            var loaded = RealmConfigLoader.Load(path, name => context.Configuration[name]);
            // --strict (CI): what would be a warning is an error, before any request, so a misspelt key fails the build.
            var strict = parseResult.GetValue<bool>(Strict);
            var level = strict ? "error" : "warning";
            if (loaded.Config.IgnoredSections.Count > 0)
            {
                await context.Error.WriteLineAsync(
                    $"{level}: {Path.GetFileName(loaded.Config.SourcePath)}: IdpBridge does not manage these sections and ignored them: " +
                    $"{string.Join(", ", loaded.Config.IgnoredSections)}").ConfigureAwait(false);
            }

            foreach (var warning in loaded.Warnings)
            {
                await context.Error.WriteLineAsync($"{level}: {warning}").ConfigureAwait(false);
            }

            if (strict && loaded.Config.IgnoredSections.Count + loaded.Warnings.Count > 0)
            {
                await context.Error.WriteLineAsync("The file was refused (--strict): fix the keys above, or remove sections IdpBridge does not manage.").ConfigureAwait(false);
                return IdpBridgeCommand.ExitCodes.Error;
            }

            using var services = connection.BuildServices(parseResult, context);
            return await run(services.GetRequiredService<RealmProvisioner>(), loaded.Config).ConfigureAwait(false);
        }
        catch (Exception exception) when (CliFailure.IsReportable(exception))
        {
            return await context.FailAsync(exception, json).ConfigureAwait(false);
        }
    }

    private static System.Text.Json.Nodes.JsonObject ExistingConfig(FileInfo target)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(target.FullName)) as System.Text.Json.Nodes.JsonObject
                ?? throw new CliInputException($"{target.FullName} is not a realm config (a JSON object): not replaced.");
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new CliInputException($"{target.FullName} is not valid JSON ({exception.Message}): not replaced, since its references could not be kept.");
        }
    }

    /// <summary><c>--strict</c> of plan and apply: warnings about the file (unknown keys, ignored sections) are errors, exit 1.</summary>
    private const string Strict = "--strict";

    private static Option<bool> StrictOption() => new(Strict)
    {
        Description = "refuse the file (exit 1, before any request) when it has keys IdpBridge does not know or sections it ignores, instead of warning; for CI",
    };

    private static Argument<string> PathArgument() => new("path")
    {
        Description = "a realm config file, or a folder holding realm.json (e.g. realm-config/externos)",
    };

    private static Option<string> OutputOption()
    {
        var output = new Option<string>("--output")
        {
            Description = "text (default) or json, for CI",
            DefaultValueFactory = _ => "text",
        };
        output.AcceptOnlyFromAmong("text", "json");
        return output;
    }

    /// <summary>Reports on the thread that made the change (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class SyncProgress(Action<ResourceChange> report) : IProgress<ResourceChange>
    {
        public void Report(ResourceChange value) => report(value);
    }
}
