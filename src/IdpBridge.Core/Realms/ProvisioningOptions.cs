using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Realms;

/// <summary>
/// Realm provisioning's settings, shared by the CLI and the service. Bound from <c>IdpBridge:Provisioning</c>
/// (environment <c>IdpBridge__Provisioning__SecretHashKey</c>), validated when first used.
/// </summary>
public sealed class ProvisioningOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "IdpBridge:Provisioning";

    /// <summary>The shortest key accepted.</summary>
    public const int MinimumKeyLength = 32;

    /// <summary>
    /// The key of the hash IdpBridge stores in Keycloak beside a secret it writes (an IdP's client secret, the SMTP
    /// password), 32 to 1024 characters, kept out of Keycloak (e.g. <c>openssl rand -base64 32</c>). Unset, the hash
    /// is keyed by a public string and anyone who reads the realm's config can test guesses of the secret offline.
    /// Never printed or logged.
    /// </summary>
    [MinLength(MinimumKeyLength, ErrorMessage = $"{SectionName}:SecretHashKey must be at least 32 characters (e.g. the output of 'openssl rand -base64 32').")]
    [MaxLength(1024, ErrorMessage = $"{SectionName}:SecretHashKey must be at most 1024 characters.")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "On a string MinLength and MaxLength read its Length; they reflect only on other types.")]
    public string? SecretHashKey { get; set; }

    /// <summary>Never shows the key.</summary>
    public override string ToString() => SecretHashKey is null ? "SecretHashKey: (not set)" : "SecretHashKey: (set)";
}

/// <summary>Validates <see cref="ProvisioningOptions"/>, generated from its data annotations.</summary>
[OptionsValidator]
internal sealed partial class ProvisioningOptionsValidator : IValidateOptions<ProvisioningOptions>;
