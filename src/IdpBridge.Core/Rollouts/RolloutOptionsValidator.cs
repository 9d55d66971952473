using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Rollouts;

/// <summary>Validates <see cref="RolloutOptions"/> at start-up, generated from its data annotations.</summary>
[OptionsValidator]
internal sealed partial class RolloutOptionsValidator : IValidateOptions<RolloutOptions>;
