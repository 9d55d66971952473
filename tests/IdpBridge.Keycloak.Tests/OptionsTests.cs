using IdpBridge.Keycloak;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace IdpBridge.Keycloak.Tests;

public sealed class OptionsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["IdpBridge:Keycloak:Url"] = "https://sso.example.org/",
        ["IdpBridge:Keycloak:ClientId"] = "idpbridge",
        ["IdpBridge:Keycloak:ClientSecret"] = "s3cret",
    };

    [Test]
    public void Options_KeycloakAdapterKeys_AreAccepted()
    {
        var options = Resolve(new Dictionary<string, string?>
        {
            ["IdpBridge:Keycloak:auth-server-url"] = "https://sso.example.org/auth",
            ["IdpBridge:Keycloak:realm"] = "admins",
            ["IdpBridge:Keycloak:resource"] = "idpbridge",
            ["IdpBridge:Keycloak:credentials:secret"] = "s3cret",
        });

        Assert.Multiple(() =>
        {
            Assert.That(options.Url, Is.EqualTo(new Uri("https://sso.example.org/auth")));
            Assert.That(options.Realm, Is.EqualTo("admins"));
            Assert.That(options.ClientId, Is.EqualTo("idpbridge"));
            Assert.That(options.ClientSecret, Is.EqualTo("s3cret"));
            Assert.That(options.AdminRoot, Is.EqualTo(new Uri("https://sso.example.org/auth/admin/realms/")));
            Assert.That(options.TokenEndpoint, Is.EqualTo(new Uri("https://sso.example.org/auth/realms/admins/protocol/openid-connect/token")));
        });
    }

    [Test]
    public void Options_PascalCaseKeys_WinOverAdapterKeys()
    {
        var options = Resolve(new Dictionary<string, string?>
        {
            ["IdpBridge:Keycloak:Url"] = "https://sso.example.org/",
            ["IdpBridge:Keycloak:auth-server-url"] = "https://old.example.org",
            ["IdpBridge:Keycloak:ClientId"] = "idpbridge",
            ["IdpBridge:Keycloak:ClientSecret"] = "s3cret",
        });

        Assert.Multiple(() =>
        {
            Assert.That(options.AdminRoot, Is.EqualTo(new Uri("https://sso.example.org/admin/realms/")));
            Assert.That(options.Realm, Is.EqualTo("master"));
        });
    }

    [Test]
    public void Options_MissingAndWrongValues_FailAtStartWithEverySettingNamed()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>
        {
            ["IdpBridge:Keycloak:Url"] = "https://sso.example.org/admin/realms/master",
            ["IdpBridge:Keycloak:Realm"] = " ",
        }));

        Assert.That(exception!.Failures, Is.EqualTo(new[]
        {
            "Url: IdpBridge:Keycloak:Url is Keycloak's base URL (with /auth only for Keycloak before 17), without /admin or /realms: " +
            "'https://sso.example.org/admin/realms/master'.",
            "Realm: IdpBridge:Keycloak:Realm (or realm) must name the realm that issues the admin token.",
            "ClientId: IdpBridge:Keycloak:ClientId (or resource) is required: the confidential client with a service account.",
            "ClientSecret: IdpBridge:Keycloak:ClientSecret (or credentials:secret) is required.",
        }));
    }

    [Test]
    public void Options_SecretInConfiguration_NeverAppearsInValidationMessages()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>
        {
            ["IdpBridge:Keycloak:ClientSecret"] = "do-not-print-7a1",
        }));

        Assert.That(exception!.Message, Does.Not.Contain("do-not-print-7a1"));
    }

    [Test]
    public void Options_SamplingWindowShorterThanTwoAttempts_RefusedNamingBothSettings()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>(Valid)
        {
            ["IdpBridge:Keycloak:AttemptTimeout"] = "00:00:30",
            ["IdpBridge:Keycloak:CircuitBreakerSamplingDuration"] = "00:00:30",
            ["IdpBridge:Keycloak:TotalTimeout"] = "00:00:20",
        }));

        Assert.That(exception!.Failures, Is.EqualTo(new[]
        {
            "TotalTimeout: IdpBridge:Keycloak:TotalTimeout (00:00:20) must be at least IdpBridge:Keycloak:AttemptTimeout (00:00:30): it covers every attempt of a call.",
            "CircuitBreakerSamplingDuration: IdpBridge:Keycloak:CircuitBreakerSamplingDuration (00:00:30) must be at least double IdpBridge:Keycloak:AttemptTimeout (00:00:30): " +
            "a shorter window closes before an attempt that timed out is counted in it.",
        }));
    }

    [Test]
    public void Options_Defaults_PassMicrosoftStandardResilienceValidation()
    {
        var options = Resolve(Valid);
        var services = new ServiceCollection();
        services.AddHttpClient("probe").AddStandardResilienceHandler(standard =>
        {
            standard.AttemptTimeout.Timeout = options.AttemptTimeout;
            standard.TotalRequestTimeout.Timeout = options.TotalTimeout;
            standard.CircuitBreaker.SamplingDuration = options.CircuitBreakerSamplingDuration;
            standard.Retry.MaxRetryAttempts = options.MaxRetries;
            standard.Retry.Delay = options.RetryBaseDelay;
        });
        using var provider = services.BuildServiceProvider();

        // Microsoft's own validators (data annotations and the standard handler's rules) run when the options are made.
        Assert.DoesNotThrow(() => provider.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get("probe-standard"));
    }

    [Test]
    public void Options_CombinationMicrosoftRefuses_RefusedHereToo()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("probe").AddStandardResilienceHandler(standard =>
        {
            standard.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
            standard.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
        });
        using var provider = services.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get("probe-standard"));
            Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>(Valid)
            {
                ["IdpBridge:Keycloak:AttemptTimeout"] = "00:00:30",
                ["IdpBridge:Keycloak:CircuitBreakerSamplingDuration"] = "00:00:30",
            }));
        });
    }

    private static KeycloakOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddKeycloakAdminClient();
        services.AddKeycloakAdminClient(); // safe to call twice
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<KeycloakOptions>>().Value;
    }
}
