using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>How IdpBridge's options read their configuration section.</summary>
internal static class OptionsBuilderExtensions
{
    /// <summary>
    /// Binds the options to <paramref name="section"/> of the host's configuration. A host always has configuration;
    /// a bare service collection (a tool, a test) may have none and configure in code only. <paramref name="bind"/> is
    /// <c>(section, options) => section.Bind(options)</c>, written where the options' type is known, so that the
    /// configuration binder's generated code binds them (no reflection: the CLI is a native binary).
    /// </summary>
    public static OptionsBuilder<TOptions> BindSectionWhenConfigured<TOptions>(
        this OptionsBuilder<TOptions> builder, string section, Action<IConfiguration, TOptions> bind)
        where TOptions : class =>
        builder.Configure<IServiceProvider>((options, provider) =>
        {
            if (provider.GetService<IConfiguration>() is { } configuration)
            {
                bind(configuration.GetSection(section), options);
            }
        });
}
