using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Policies;

/// <summary>Validates <see cref="PolicyOptions"/> at start-up, generated from its data annotations and its own rules.</summary>
[OptionsValidator]
internal sealed partial class PolicyOptionsValidator : IValidateOptions<PolicyOptions>;
