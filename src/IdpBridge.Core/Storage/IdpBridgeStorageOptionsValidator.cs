using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Storage;

/// <summary>
/// Validates <see cref="IdpBridgeStorageOptions"/> at start-up, generated from its data annotations and its own
/// rules; no message holds the password.
/// </summary>
[OptionsValidator]
internal sealed partial class IdpBridgeStorageOptionsValidator : IValidateOptions<IdpBridgeStorageOptions>;
