using System.CommandLine;
using System.Security.Cryptography;
using IdpBridge.Core.Ledger.Proof;

namespace IdpBridge.Cli.Ledger;

/// <summary><c>idpbridge ledger verify-proof</c>: checks a proof file offline with the public key alone.</summary>
internal static class LedgerVerifyProofCommand
{
    /// <summary>The exit code of a proof that does not hold (0: valid; 1: the check could not run).</summary>
    public const int Invalid = 2;

    public static Command Build(CliContext context)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "the proof: its JSON or its page (ledger proof --output json|html)" };
        var publicKey = new Option<FileInfo?>("--public-key")
        {
            Description = "the public key, PEM (ledger public-key, or GET /api/proof/public-key); default: the public half of IdpBridge__Proof__SigningKeyPath",
        };
        var command = new Command("verify-proof", """
            Check a proof of acceptance offline: its signature (ECDSA P-256, SHA-256) over the canonical JSON of the
            proof, that the key id is the public key's, every text's SHA-256 and the version's content hash, the record
            hash recomputed from the proof's fields and its link in the chain; for a page, also that the page is exactly
            the one the signed proof renders to. Needs no database and no network.
            Exit codes: 0 valid, 2 invalid (what failed is printed), 1 the check could not run (a file unreadable), 64 usage.
            Example: idpbridge ledger verify-proof proof.html --public-key proof-public.pem
            """)
        {
            file, publicKey,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            byte[] bytes;
            ECDsa key;
            try
            {
                bytes = await ReadAsync(parseResult.GetValue(file)!, ProofVerifier.MaxFileBytes, cancellationToken).ConfigureAwait(false);
                key = await PublicKeyAsync(context, parseResult.GetValue(publicKey), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ProofKeyException)
            {
                return await context.FailAsync(exception, json: false).ConfigureAwait(false);
            }

            using (key)
            {
                var result = ProofVerifier.Verify(bytes, key);
                await WriteAsync(context, result).ConfigureAwait(false);
                return result.Valid ? IdpBridgeCommand.ExitCodes.Success : Invalid;
            }
        });
        return command;
    }

    private static async Task WriteAsync(CliContext context, ProofVerification result)
    {
        foreach (var problem in result.Problems)
        {
            await context.Output.WriteLineAsync($"INVALID: {problem}").ConfigureAwait(false);
        }

        if (result.Signed is not { Proof: var proof })
        {
            return;
        }

        var what = result.IsPage ? "page" : "JSON";
        await context.Output.WriteLineAsync(result.Valid
            ? $"Valid proof ({what}): signed {proof.IssuedAt} by key {proof.KeyId}."
            : $"The proof ({what}) does not hold; what it claims:").ConfigureAwait(false);
        await context.Output.WriteLineAsync($"  {proof.User.Username ?? "(no username)"} (id {proof.User.Id}), realm {proof.Realm}").ConfigureAwait(false);
        await context.Output.WriteLineAsync(
            $"  {proof.Decision} {proof.Version.Policy} version {proof.Version.Number} ({proof.Version.Kind}, content hash {proof.Version.ContentHash}, " +
            $"{string.Join(", ", proof.Version.Texts.Select(text => text.Locale))})").ConfigureAwait(false);
        await context.Output.WriteLineAsync(
            $"  at {proof.OccurredAt} from client {proof.ClientId ?? "unknown"}, address {proof.IpAddress ?? "unknown"}, learned from {proof.Source}").ConfigureAwait(false);
        await context.Output.WriteLineAsync(
            $"  record {proof.Record.Id}: record hash {proof.Record.RecordHash}, chain hash {proof.Record.ChainHash} " +
            $"(the realm's head at issue: {proof.ChainAtIssue.HeadChainHash})").ConfigureAwait(false);
    }

    private static async Task<ECDsa> PublicKeyAsync(CliContext context, FileInfo? file, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            using var signing = ProofKeySettings.Load(context);
            if (!signing.IsConfigured)
            {
                throw new ProofKeyException(
                    $"Give the public key with --public-key FILE (PEM), or set {ProofOptions.SigningKeyPathSetting} to check with this machine's signing key.");
            }

            return ProofKeys.ReadPublic(signing.PublicKeyPem())!;
        }

        var pem = System.Text.Encoding.UTF8.GetString(await ReadAsync(file, ProofKeys.MaxKeyFileBytes, cancellationToken).ConfigureAwait(false));
        return ProofKeys.ReadPublic(pem) ?? throw new ProofKeyException($"--public-key: '{file.FullName}' holds no ECDSA P-256 public key in PEM.");
    }

    private static async Task<byte[]> ReadAsync(FileInfo file, int limit, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new IOException($"No file at '{file.FullName}'.");
        }

        if (file.Length > limit)
        {
            throw new IOException($"'{file.FullName}' is larger than a proof or key can be ({file.Length} bytes; at most {limit}).");
        }

        return await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
    }
}
