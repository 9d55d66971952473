using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Ledger;

/// <summary>Validates <see cref="LedgerOptions"/> at start-up, generated from its data annotations.</summary>
[OptionsValidator]
internal sealed partial class LedgerOptionsValidator : IValidateOptions<LedgerOptions>;
