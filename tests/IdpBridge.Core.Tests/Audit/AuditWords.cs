using IdpBridge.Cli.Realms;
using IdpBridge.Core.Audit;

namespace IdpBridge.Core.Tests.Audit;

/// <summary>A result in the words the command line prints (<see cref="AuditTexts"/>), for the assertions on wording.</summary>
internal static class AuditWords
{
    public static string What(this AuditFinding finding) => AuditTexts.Describe(finding).What;

    public static string Fix(this AuditFinding finding) => AuditTexts.Describe(finding).Fix;
}
