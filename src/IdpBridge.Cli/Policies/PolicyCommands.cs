using System.CommandLine;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Cli.Policies;

/// <summary><c>idpbridge policy publish | list | show</c>.</summary>
internal static class PolicyCommands
{

    public static Command Build(CliContext context)
    {
        var policy = new Command("policy", "Publish and read versioned policies (stored in IdpBridge's database, IdpBridge__Storage__*).");
        policy.Subcommands.Add(Publish(context));
        policy.Subcommands.Add(List(context));
        policy.Subcommands.Add(Show(context));
        return policy;
    }

    private static Command Publish(CliContext context)
    {
        var files = new Argument<FileInfo[]>("files") { Description = "the policy's Markdown files, one per locale (es.md, en.md...)", Arity = ArgumentArity.OneOrMore };
        // An unknown option would otherwise be taken for a file name and fail later as a file that cannot be read (exit 1).
        files.Validators.Add(result =>
        {
            if (result.Tokens.FirstOrDefault(token => token.Value.StartsWith('-')) is { } option)
            {
                result.AddError($"Unrecognized option '{option.Value}' (a policy file whose name starts with '-' is written ./{option.Value}).");
            }
        });
        var (realm, name, output, services) = Common();
        var kind = new Option<string?>("--kind") { Description = $"{PolicyVersionKinds.Choices}; else the files' front matter" };
        kind.AcceptOnlyFromAmong([.. PolicyVersionKinds.Names]);
        var effective = CliTime.Option("--effective", "when it takes effect (default: now)");
        var summary = new Option<string?>("--summary") { Description = "what changed, in the realm's default language" };
        var command = new Command("publish", """
            Store a new immutable version of a policy: the text per locale, its SHA-256, number, publication and
            effective times, kind and summary. Publishing the same text again changes nothing and says so; the same text with a
            different summary is refused (a published version never changes). When the
            version is in force and the policy is the terms policy, Keycloak's terms step (termsTitle, termsText) is
            updated at once for every locale of the realm, and so are the realm attributes that IdpBridge's
            required-action bridge reads (idpbridge.terms.*; every other realm attribute is kept).
            Example: idpbridge policy publish realm-config/externos/policies/privacy/v1/*.md --realm externos --policy privacy
            """)
        {
            files, realm, name, kind, effective, summary, output,
        };
        services.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => services.RunWithStoreAsync(context, parseResult, parseResult.GetValue(output) == "json", async provider =>
        {
            var effectiveAt = parseResult.GetValue(effective);
            var documents = parseResult.GetValue(files)!.Select(file => PolicyDocumentReader.Read(file.FullName)).ToList();
            var result = await provider.GetRequiredService<PolicyPublisher>().PublishAsync(documents, new PublishRequest
            {
                Realm = parseResult.GetValue(realm)!,
                Policy = parseResult.GetValue(name)!,
                Kind = PolicyVersionKinds.TryParse(parseResult.GetValue(kind), out var chosen) ? chosen : null,
                Effective = effectiveAt,
                Summary = parseResult.GetValue(summary),
            }, cancellationToken).ConfigureAwait(false);

            if (parseResult.GetValue(output) == "json")
            {
                await context.Output.WriteLineAsync(CliJson.Serialize(PolicyPublishReport.From(result))).ConfigureAwait(false);
            }
            else
            {
                foreach (var notice in result.Notices)
                {
                    await context.Error.WriteLineAsync($"note: {notice}").ConfigureAwait(false);
                }

                var version = result.Version;
                await context.Output.WriteLineAsync(result.Created
                    ? $"Published {version.Policy} version {version.Number} of realm {version.Realm} ({Kind(version)}), " +
                      $"effective {Time(version.EffectiveAt)}, locales {string.Join(", ", version.Texts.Select(text => text.Locale))}."
                    : $"Nothing to publish: version {version.Number} of {version.Policy} already has exactly this text.").ConfigureAwait(false);
                await context.Output.WriteLineAsync(result.TermsTextsWritten.Count > 0
                    ? $"Keycloak's terms step now shows version {version.Number} ({string.Join(", ", result.TermsTextsWritten)})."
                    : version.EffectiveAt > provider.GetRequiredService<TimeProvider>().GetUtcNow()
                        ? $"Keycloak's terms step will show it once it takes effect ({Time(version.EffectiveAt)}); the IdpBridge service does that."
                        : "Keycloak's terms step was already up to date.").ConfigureAwait(false);
                if (result.RealmAttributesWritten.Count > 0)
                {
                    await context.Output.WriteLineAsync(
                        $"The realm's attributes for IdpBridge's required-action bridge now say version {version.Number} is in force " +
                        $"({string.Join(", ", result.RealmAttributesWritten)}).").ConfigureAwait(false);
                }
            }

            return IdpBridgeCommand.ExitCodes.Success;
        }));
        return command;
    }

    private static Command List(CliContext context)
    {
        var (realm, name, output, services) = Common();
        var command = new Command("list", "List a policy's versions, oldest first.\nExample: idpbridge policy list --realm externos --policy privacy")
        {
            realm, name, output,
        };
        services.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => services.RunWithStoreAsync(context, parseResult, parseResult.GetValue(output) == "json", async provider =>
        {
            var versions = await provider.GetRequiredService<IPolicyStore>()
                .ListAsync(parseResult.GetValue(realm)!, parseResult.GetValue(name)!, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(output) == "json")
            {
                await context.Output.WriteLineAsync(CliJson.Serialize(versions.Select(PolicyVersionSummary.From))).ConfigureAwait(false);
                return IdpBridgeCommand.ExitCodes.Success;
            }

            if (versions.Count == 0)
            {
                await context.Error.WriteLineAsync($"Realm '{parseResult.GetValue(realm)}' has no published versions of '{parseResult.GetValue(name)}'.").ConfigureAwait(false);
                return IdpBridgeCommand.ExitCodes.Error;
            }

            foreach (var version in versions)
            {
                await context.Output.WriteLineAsync(
                    $"{version.Number,4}  {Kind(version),-8}  published {Time(version.PublishedAt)}  effective {Time(version.EffectiveAt)}  " +
                    $"{string.Join(",", version.Texts.Select(text => text.Locale))}  {version.ContentHash[..12]}").ConfigureAwait(false);
            }

            return IdpBridgeCommand.ExitCodes.Success;
        }));
        return command;
    }

    private static Command Show(CliContext context)
    {
        var (realm, name, output, services) = Common();
        var number = new Option<int?>("--version") { Description = "the version number (default: the one in force now)" }.Between(1, int.MaxValue, " (a version number)");
        var locale = new Option<string?>("--locale") { Description = "show this locale's text (default: the first, the realm's default)" };
        var command = new Command("show",
            "Show one version: its facts, summary and full text.\n" +
            "Example: idpbridge policy show --realm externos --policy privacy --version 2 --locale en")
        {
            realm, name, number, locale, output,
        };
        services.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => services.RunWithStoreAsync(context, parseResult, parseResult.GetValue(output) == "json", async provider =>
        {
            var store = provider.GetRequiredService<IPolicyStore>();
            var version = parseResult.GetValue(number) is { } n
                ? await store.GetAsync(parseResult.GetValue(realm)!, parseResult.GetValue(name)!, n, cancellationToken).ConfigureAwait(false)
                : await store.GetEffectiveAsync(
                    parseResult.GetValue(realm)!, parseResult.GetValue(name)!, provider.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken)
                    .ConfigureAwait(false);
            var json = parseResult.GetValue(output) == "json";
            if (version is null)
            {
                // With --output json CI gets {"error": ...} on standard output, as from every command.
                return await context.FailAsync(new CliInputException(parseResult.GetValue(number) is { } missing
                    ? $"no such version: policy '{parseResult.GetValue(name)}' of realm '{parseResult.GetValue(realm)}' has no version {missing}."
                    : $"no such version: no version of policy '{parseResult.GetValue(name)}' of realm '{parseResult.GetValue(realm)}' is in force."), json)
                    .ConfigureAwait(false);
            }

            var text = parseResult.GetValue(locale) is { } wanted ? version.Texts.FirstOrDefault(candidate => candidate.Locale == wanted) : version.Texts[0];
            if (text is null)
            {
                return await context.FailAsync(new CliInputException(
                    $"version {version.Number} is written in {string.Join(", ", version.Texts.Select(candidate => candidate.Locale))}, " +
                    $"not '{parseResult.GetValue(locale)}'."), json).ConfigureAwait(false);
            }

            if (json)
            {
                await context.Output.WriteLineAsync(CliJson.Serialize(version)).ConfigureAwait(false);
                return IdpBridgeCommand.ExitCodes.Success;
            }

            await context.Output.WriteLineAsync($"{text.Title} — version {version.Number} ({Kind(version)})").ConfigureAwait(false);
            await context.Output.WriteLineAsync(
                $"published {Time(version.PublishedAt)}, effective {Time(version.EffectiveAt)}, locale {text.Locale}, sha256 {text.Sha256}").ConfigureAwait(false);
            if (text.Summary is { Length: > 0 } changed)
            {
                await context.Output.WriteLineAsync($"what changed: {changed}").ConfigureAwait(false);
            }

            await context.Output.WriteLineAsync().ConfigureAwait(false);
            await context.Output.WriteAsync(text.Markdown).ConfigureAwait(false);
            return IdpBridgeCommand.ExitCodes.Success;
        }));
        return command;
    }

    private static (Option<string> Realm, Option<string> Policy, Option<string> Output, CliServices Services) Common()
    {
        var realm = new Option<string>("--realm") { Description = "the Keycloak realm", Required = true };
        var policy = new Option<string>("--policy") { Description = "the policy's name, e.g. privacy", DefaultValueFactory = _ => "privacy" };
        var output = new Option<string>("--output") { Description = "text (default) or json", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        return (realm, policy, output, new CliServices());
    }

    private static string Kind(PolicyVersion version) => version.Kind.Name();

    private static string Time(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
