using System.Text.Json;
using IdpBridge.Core.Audit;

namespace IdpBridge.Cli.Realms;

/// <summary><c>realm audit</c>'s report: grouped text, each result with where and how to fix it, or one JSON document.</summary>
internal static class RealmAuditPrinter
{
    public static async Task WriteAsync(TextWriter output, RealmAudit audit, bool json)
    {
        var findings = audit.Findings.Count();
        var informational = audit.Results.Count - findings;
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                realm = audit.Realm,
                declaredFields = audit.Declared.Names,
                usernameIsEmail = audit.Declared.UsernameIsEmail,
                declaredIn = audit.Declared.Source,
                clean = audit.IsClean,
                findings,
                informational,
                scan = new
                {
                    users = audit.Scan.Users,
                    visibility = audit.Visibility,
                    usersPerAttribute = audit.Scan.UsersPerAttribute.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToDictionary(),
                    attributesBeyondLimit = audit.Scan.NamesBeyondLimit,
                },
                results = audit.Results.Select(result =>
                {
                    var (what, fix) = AuditTexts.Describe(result);
                    return new { code = result.Code, severity = result.Severity, check = result.Check, where = result.Where, what, fix, facts = result.Facts };
                }),
            }, CliJson.Output)).ConfigureAwait(false);
            return;
        }

        await output.WriteLineAsync(
            $"Realm '{audit.Realm}' audited against the declared fields {string.Join(", ", audit.Declared.Names)}" +
            $"{(audit.Declared.UsernameIsEmail ? " (email as username)" : "")}, from {audit.Declared.Source ?? "IdpBridge's default policy"}.").ConfigureAwait(false);
        await output.WriteLineAsync($"Users scanned: {audit.Scan.Users} (attribute names counted, values never read out).").ConfigureAwait(false);
        foreach (var group in audit.Results.GroupBy(result => result.Check))
        {
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync(group.Key).ConfigureAwait(false);
            foreach (var result in group)
            {
                await output.WriteLineAsync($"  {(result.Severity == AuditSeverity.Finding ? "FINDING" : "info   ")} {result.Where}  [{result.Code}]").ConfigureAwait(false);
                var (what, fix) = AuditTexts.Describe(result);
                await output.WriteLineAsync($"          {what}").ConfigureAwait(false);
                await output.WriteLineAsync($"          fix: {fix}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(audit.IsClean
            ? $"No findings ({informational} informational): the realm collects and hands out only the declared fields."
            : $"{findings} finding{(findings == 1 ? "" : "s")}, {informational} informational.").ConfigureAwait(false);
    }
}
