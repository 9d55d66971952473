using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>How IdpBridge's options read their configuration section.</summary>
internal static class OptionsBuilderExtensions
{
    /// <summary>
    /// Binds the options to <paramref name="section"/> of the host's configuration. A host always has configuration;
    /// a bare service collection (a tool, a test) may have none and configure in code only.
    /// </summary>
    public static OptionsBuilder<TOptions> BindSectionWhenConfigured<TOptions>(this OptionsBuilder<TOptions> builder, string section)
        where TOptions : class =>
        builder.Configure<IServiceProvider>((options, provider) => provider.GetService<IConfiguration>()?.GetSection(section).Bind(options));
}
