using System.CommandLine;
using IdpBridge.Core.Audit;
using IdpBridge.Core.Realms;
using IdpBridge.Keycloak;
using Microsoft.Extensions.DependencyInjection;

namespace IdpBridge.Cli.Realms;

/// <summary><c>idpbridge realm audit &lt;realm&gt;</c>: the data-minimisation audit of the live realm.</summary>
internal static class RealmAuditCommand
{
    /// <summary>The exit code with <c>--detailed-exitcode</c> when something was found (0: clean; 1: the audit could not run).</summary>
    public const int FindingsFound = 2;

    public static Command Build(CliContext context)
    {
        var realm = new Argument<string>("realm") { Description = "the live realm to audit" };
        realm.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is not { Length: > 0 and <= 255 } name || name.Any(char.IsControl))
            {
                result.AddError("realm must be a realm name of 1 to 255 characters.");
            }
        });
        var config = new Option<string?>("--config")
        {
            Description = "a realm config file or folder (e.g. realm-config/externos) whose userProfile attributes and registrationEmailAsUsername " +
                "are the declared fields; default: username, email, firstName, lastName, email as username",
        };
        var reveal = new Option<bool>("--reveal-unmanaged")
        {
            Description = "when unmanagedAttributePolicy is unset (Keycloak then hides attributes stored outside the profile), " +
                "set ADMIN_VIEW for the user scan and put the exact profile back afterwards, " +
                "also on failure or Ctrl+C; the only write the audit makes",
        };
        var detailed = new Option<bool>("--detailed-exitcode") { Description = "exit 0 when nothing was found, 2 when something was, 1 when the audit could not run (for CI)" };
        var pageSize = new Option<int>("--page-size") { Description = "users per list request of the scan (1-1000)", DefaultValueFactory = _ => 100 }.Between(1, 1000);
        var output = new Option<string>("--output") { Description = "text (default) or json, for CI", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var connection = new CliServices();
        var command = new Command("audit", """
            Check that the live realm collects, keeps and hands out only the declared fields (username, email, first
            and last name, or those of --config), and say where each excess is and how to fix it:
              user-profile       attributes beyond the declared ones; unmanaged attributes (ENABLED: users and admins
                                 store any attribute; ADMIN_EDIT: admins do; ADMIN_VIEW: admins only see them)
              stored-attributes  what users actually store that the profile does not declare: every user is read,
                                 page by page, and attribute names are counted (never a value). Keycloak's locale,
                                 its terms_and_conditions time and IdpBridge's idpbridge.terms.* acceptance are
                                 informational. With unmanagedAttributePolicy unset, Keycloak hides such attributes:
                                 add --reveal-unmanaged to see them
              registration       a username asked besides the email; the form's fields
              identity-providers mappers that import claims into undeclared attributes; stored upstream tokens
              tokens             client mappers, scopes (Keycloak's address, phone) and scope mappers that put
                                 undeclared data in tokens, from clients and from the realm's defaults for new clients
              events             event types beyond what the acceptance record needs, events kept over 365 days or
                                 forever, admin events that include representations
            A finding is something to fix; an informational result is worth knowing and against no promise.
            Progress of the user scan goes to standard error. Writes nothing unless --reveal-unmanaged.
            Exit codes: 0 done (with --detailed-exitcode: nothing found), 2 findings (--detailed-exitcode), 1 the
            audit could not run, 64 usage error.
            Example: idpbridge realm audit externos --config realm-config/externos --reveal-unmanaged --detailed-exitcode
            """)
        {
            realm, config, reveal, detailed, pageSize, output,
        };
        connection.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = parseResult.GetValue(output) == "json";
            try
            {
                var declared = parseResult.GetValue(config) is { } path
                    // Secrets the file references do not matter here: a missing one is not an error of the audit.
                    ? DeclaredFields.FromRealmConfig(RealmConfigLoader.Load(path, name => context.Configuration[name] ?? "unset").Config)
                    : DeclaredFields.Default;
                using var services = connection.BuildServices(parseResult, context);
                var auditor = new RealmAuditor(services.GetRequiredService<KeycloakAdminClient>());
                var progress = new ScanProgressPrinter(context.Error, TimeProvider.System);
                var audit = await auditor.AuditAsync(
                    parseResult.GetValue(realm)!,
                    new RealmAuditOptions { Declared = declared, RevealUnmanaged = parseResult.GetValue(reveal), PageSize = parseResult.GetValue(pageSize) },
                    progress,
                    cancellationToken).ConfigureAwait(false);
                progress.Finish();
                await RealmAuditPrinter.WriteAsync(context.Output, audit, json).ConfigureAwait(false);
                return parseResult.GetValue(detailed) && !audit.IsClean ? FindingsFound : IdpBridgeCommand.ExitCodes.Success;
            }
            catch (Exception exception) when (CliFailure.IsReportable(exception))
            {
                return await context.FailAsync(exception, json).ConfigureAwait(false);
            }
        });
        return command;
    }

    /// <summary>The user scan on standard error: a line at the start, at most one a second, and at the end.</summary>
    private sealed class ScanProgressPrinter(TextWriter error, TimeProvider time) : IProgress<UserScanProgress>
    {
        private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
        private readonly Lock gate = new();
        private DateTimeOffset lastShown = DateTimeOffset.MinValue;
        private UserScanProgress? last;
        private UserScanProgress? shown;

        public void Report(UserScanProgress value)
        {
            lock (gate)
            {
                last = value;
                var now = time.GetUtcNow();
                if (shown is null || now - lastShown >= Every)
                {
                    Show(value, now);
                }
            }
        }

        public void Finish()
        {
            lock (gate)
            {
                if (last is { } final && final != shown)
                {
                    Show(final, time.GetUtcNow());
                }
            }
        }

        private void Show(UserScanProgress value, DateTimeOffset now)
        {
            error.WriteLine($"scanning users: {value.Scanned}/{value.Total}");
            shown = value;
            lastShown = now;
        }
    }
}
