using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Storage;

/// <summary>Binds <see cref="IdpBridgeStorageOptions"/> from the <c>IdpBridge:Storage</c> section when there is configuration.</summary>
internal sealed class IdpBridgeStorageOptionsSetup(IServiceProvider services) : IConfigureOptions<IdpBridgeStorageOptions>
{
    public void Configure(IdpBridgeStorageOptions options)
    {
        // A host always has configuration; a bare ServiceCollection (a tool, a test) may configure in code only.
        if (services.GetService(typeof(IConfiguration)) is IConfiguration configuration)
        {
            configuration.GetSection(IdpBridgeStorageOptions.SectionName).Bind(options);
        }
    }
}
