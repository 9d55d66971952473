using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Keycloak Admin API client.</summary>
public static class KeycloakServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="KeycloakAdminClient"/>: options from the <c>IdpBridge:Keycloak</c> section (adapter keys
    /// accepted) validated at start-up, a cached client-credentials token, and the standard resilience handler
    /// (timeouts, retries with jitter that honour <c>Retry-After</c>, circuit breaker) that retries reads and only
    /// the writes the client marks as safe to repeat. Safe to call twice. Returns the admin client's
    /// <see cref="IHttpClientBuilder"/> so callers can add handlers.
    /// </summary>
    public static IHttpClientBuilder AddKeycloakAdminClient(
        this IServiceCollection services, Action<KeycloakOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KeycloakOptions>, KeycloakOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeycloakOptions>, KeycloakOptionsValidator>());
        var optionsBuilder = services.AddOptions<KeycloakOptions>().ValidateOnStart();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.TryAddSingleton<KeycloakReachability>();
        services.TryAddSingleton<KeycloakTokenProvider>();
        services.TryAddSingleton(provider => new IdpBridge.Keycloak.SignIn.KeycloakSignIn(
            provider.GetRequiredService<KeycloakTokenProvider>(), provider.GetRequiredService<IOptionsMonitor<KeycloakOptions>>()));
        services.TryAddTransient<KeycloakBearerHandler>();
        services.TryAddSingleton<KeycloakThrottle>();
        services.TryAddTransient<KeycloakThrottleHandler>();

        if (!services.Any(descriptor => descriptor.ServiceType == typeof(KeycloakClientsRegistered)))
        {
            services.AddSingleton<KeycloakClientsRegistered>();
            services.AddHttpClient(KeycloakTokenProvider.HttpClientName, ConfigureHttpClient)
                .AddResilienceHandler("keycloak-token", AddStandardStrategies);

            // Resilience outside, bearer inside: every attempt, retries included, carries a token that is fresh then.
            // The throttle is innermost, so it counts every request that really goes out and sees every answer.
            // No HttpClientFactory request logging: two handlers and a log scope per request, a rollout's main client-side
            // cost after the JIT (issue 16); the CLI's --verbose traces each request, the throttle logs what it changes.
            var admin = services.AddHttpClient<KeycloakAdminClient>(ConfigureHttpClient).RemoveAllLoggers();
            admin.AddResilienceHandler("keycloak-admin", AddStandardStrategies);
            admin.AddHttpMessageHandler<KeycloakBearerHandler>();
            admin.AddHttpMessageHandler<KeycloakThrottleHandler>();
        }

        return new KeycloakAdminClientBuilder(services);
    }

    private static void ConfigureHttpClient(IServiceProvider provider, HttpClient client)
    {
        // The resilience pipeline owns every timeout; HttpClient's own 100 s limit would cut its waits short.
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.BaseAddress = provider.GetRequiredService<IOptionsMonitor<KeycloakOptions>>().CurrentValue.AdminRoot;
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
    }

    private static void AddStandardStrategies(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var settings = context.ServiceProvider.GetRequiredService<IOptionsMonitor<KeycloakOptions>>().CurrentValue;
        var reachability = context.ServiceProvider.GetRequiredService<KeycloakReachability>();

        // The standard handler's order: total timeout, retry, circuit breaker, attempt timeout. Assembled here (the
        // retry decides per request whether a repeat is safe), so its rules are checked by KeycloakOptionsValidator.
        pipeline.AddTimeout(settings.TotalTimeout);
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(settings.MaxRetries, 1),
            Delay = settings.RetryBaseDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldRetryAfterHeader = true,
            // Polly asks this of every outcome, successes included: the one place that sees each answer.
            ShouldHandle = arguments =>
            {
                if (arguments.Outcome.Result is not null)
                {
                    reachability.MarkAnswered();
                }

                return ValueTask.FromResult(
                    settings.MaxRetries > 0
                    && RetrySafety.IsRetrySafe(arguments.Context.GetRequestMessage())
                    && HttpClientResiliencePredicates.IsTransient(arguments.Outcome)
                    && !(KeycloakReachability.IsUnreachable(arguments.Outcome.Exception) && !reachability.HasAnswered));
            },
        });
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions { SamplingDuration = settings.CircuitBreakerSamplingDuration });
        pipeline.AddTimeout(settings.AttemptTimeout);
    }

    /// <summary>Marks that the HTTP clients are registered, so a second call does not add handlers twice.</summary>
    private sealed class KeycloakClientsRegistered;

    private sealed class KeycloakAdminClientBuilder(IServiceCollection services) : IHttpClientBuilder
    {
        public string Name => typeof(KeycloakAdminClient).Name;

        public IServiceCollection Services => services;
    }
}
