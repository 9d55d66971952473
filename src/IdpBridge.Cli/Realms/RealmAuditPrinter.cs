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
            await output.WriteLineAsync(CliJson.Serialize(new AuditJson(
                audit.Realm,
                audit.Declared.Names,
                audit.Declared.UsernameIsEmail,
                audit.Declared.Source,
                audit.IsClean,
                findings,
                informational,
                new AuditScanJson(
                    audit.Scan.Users,
                    audit.Visibility,
                    audit.Scan.UsersPerAttribute.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToDictionary(),
                    audit.Scan.NamesBeyondLimit),
                audit.Results.Select(result =>
                {
                    var (what, fix) = AuditTexts.Describe(result);
                    return new AuditResultJson(result.Code, result.Severity, result.Check, result.Where, what, fix, result.Facts);
                })))).ConfigureAwait(false);
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
