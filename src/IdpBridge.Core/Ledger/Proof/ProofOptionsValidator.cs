using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Ledger.Proof;

/// <summary>
/// Checks <see cref="ProofOptions"/> at start-up: an unset key is allowed (no proofs), a set one must be an owner-only
/// file holding an ECDSA P-256 private key. The message names the setting and the path, never the key.
/// </summary>
internal sealed class ProofOptionsValidator : IValidateOptions<ProofOptions>
{
    public ValidateOptionsResult Validate(string? name, ProofOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.SigningKeyPath))
        {
            return ValidateOptionsResult.Success;
        }

        var (key, problem) = ProofKeys.ReadPrivate(options.SigningKeyPath);
        key?.Dispose();
        return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
    }
}
