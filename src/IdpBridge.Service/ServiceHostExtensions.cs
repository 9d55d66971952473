using IdpBridge.Core;
using IdpBridge.Service.AdminApi;
using Microsoft.Extensions.DependencyInjection.Extensions;
using IdpBridge.Service.Diagnostics;
using IdpBridge.Service.Health;
using IdpBridge.Service.Ledger;
using IdpBridge.Service.PublicPages;
using IdpBridge.Service.Security;

namespace IdpBridge.Service;

/// <summary>The service's composition: what <c>Program.cs</c> calls.</summary>
internal static class ServiceHostExtensions
{
    public static WebApplicationBuilder AddIdpBridgeService(this WebApplicationBuilder builder)
    {
        // Structured logs: one JSON object per line, scopes included (request id, trace id).
        builder.Logging.AddJsonConsole(options => options.IncludeScopes = true).AddIdpBridgeRequestLogging();
        builder.Services.AddProblemDetails();
        // The CLI's --output json and the admin API write the same names, enums and times.
        builder.Services.ConfigureHttpJsonOptions(options => IdpBridgeJson.Configure(options.SerializerOptions));
        builder.Services.AddKeycloakAdminClient();
        // Core first: its hosted service migrates the database before the workers start.
        builder.Services.AddIdpBridgeCore();
        builder.Services.AddHostedService<Startup.ServedRealmsLog>();
        builder.Services.AddHostedService<Policies.TermsTextWorker>();
        builder.Services.AddSingleton<Rollouts.RolloutSignal>();
        builder.Services.AddHostedService<Rollouts.RolloutWorker>();
        builder.Services.AddHostedService<Ledger.LedgerWorker>();
        builder.Services.AddAdminAuthentication(builder.Configuration);
        builder.Services.AddIdpBridgeDataProtection(builder.Configuration);
        builder.Services.AddIdpBridgeHealth();
        builder.Services.AddSingleton<IdpBridgeMetrics>();
        builder.Services.AddSingleton<RenderedPageCache>();
        builder.Services.AddSingleton<EffectiveVersionCache>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplication MapIdpBridge(this WebApplication app)
    {
        app.UseIdpBridgeRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAdminRejectionMetrics();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapIdpBridgeHealth();
        app.MapAdminApi();
        app.MapAdminPageSignOut();
        app.MapLedger();
        app.MapPolicyPages();
        return app;
    }
}
