using System.CommandLine;
using IdpBridge.Core.Ledger.Proof;

namespace IdpBridge.Cli.Ledger;

/// <summary><c>idpbridge ledger public-key</c>: the public half of the proof signing key, PEM, and its key id.</summary>
internal static class LedgerPublicKeyCommand
{
    public static Command Build(CliContext context)
    {
        var command = new Command("public-key", """
            Print the public key that checks proofs of acceptance (PEM on standard output, its key id on standard error),
            from the signing key of IdpBridge__Proof__SigningKeyPath. Give it to whoever must check a proof; the service
            serves the same at GET /api/proof/public-key. The private key is never printed.
            Example: idpbridge ledger public-key > proof-public.pem
            """);
        command.SetAction(async (_, _) =>
        {
            using var key = ProofKeySettings.Load(context);
            try
            {
                var pem = key.PublicKeyPem();
                await context.Output.WriteLineAsync(pem).ConfigureAwait(false);
                await context.Error.WriteLineAsync($"key id: {key.KeyId} ({ProofKeys.Algorithm})").ConfigureAwait(false);
                return IdpBridgeCommand.ExitCodes.Success;
            }
            catch (ProofKeyException exception)
            {
                return await context.FailAsync(exception, json: false).ConfigureAwait(false);
            }
        });
        return command;
    }
}
