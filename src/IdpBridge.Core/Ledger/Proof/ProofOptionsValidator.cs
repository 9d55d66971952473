using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Ledger.Proof;

/// <summary>Validates <see cref="ProofOptions"/> at start-up, generated from its data annotations and its own rule (the key file).</summary>
[OptionsValidator]
internal sealed partial class ProofOptionsValidator : IValidateOptions<ProofOptions>;
