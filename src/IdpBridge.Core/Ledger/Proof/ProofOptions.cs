using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace IdpBridge.Core.Ledger.Proof;

/// <summary>
/// How proofs of acceptance are signed. Bound from <c>IdpBridge:Proof</c> (environment
/// <c>IdpBridge__Proof__SigningKeyPath</c>), the same for the service and the CLI, validated at start-up
/// (<see cref="ProofOptionsValidator"/>).
/// </summary>
public sealed class ProofOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "IdpBridge:Proof";

    /// <summary>The setting that names the key file, as messages name it.</summary>
    public const string SigningKeyPathSetting = SectionName + ":SigningKeyPath";

    /// <summary>
    /// Path of a PEM file holding the ECDSA P-256 private key proofs are signed with (<c>PRIVATE KEY</c> or
    /// <c>EC PRIVATE KEY</c>), readable by its owner only on Unix (mode 0600 or 0400). Unset (default): no proof can be
    /// issued, and the service serves no public key. Generate one with
    /// <c>openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out proof-key.pem</c>, then <c>chmod 600</c>.
    /// </summary>
    [MaxLength(4096, ErrorMessage = $"{SigningKeyPathSetting} must be at most 4096 characters.")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "On a string MinLength and MaxLength read its Length; they reflect only on other types.")]
    public string? SigningKeyPath { get; set; }

    /// <summary>
    /// An unset key is allowed (no proofs); a set one must be an owner-only file holding an ECDSA P-256 private key. The
    /// message names the setting and the path, never the key.
    /// </summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(SigningKeyPath))
        {
            yield break;
        }

        var (key, problem) = ProofKeys.ReadPrivate(SigningKeyPath);
        key?.Dispose();
        if (problem is not null)
        {
            yield return new ValidationResult(problem);
        }
    }
}
