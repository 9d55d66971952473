using Microsoft.Extensions.Options;

namespace IdpBridge.Service.AdminApi;

/// <summary>Validates <see cref="AdminApiOptions"/> at start-up, generated from its data annotations.</summary>
[OptionsValidator]
internal sealed partial class AdminApiOptionsValidator : IValidateOptions<AdminApiOptions>;
