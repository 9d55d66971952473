using IdpBridge.Core.Ledger.Proof;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IdpBridge.Cli.Ledger;

/// <summary>The proof signing key of the CLI's configuration (<c>IdpBridge:Proof</c>), for commands that need nothing else.</summary>
internal static class ProofKeySettings
{
    public static ProofSigningKey Load(CliContext context)
    {
        var options = new ProofOptions();
        context.Configuration.GetSection(ProofOptions.SectionName).Bind(options);
        return new ProofSigningKey(Options.Create(options));
    }
}
