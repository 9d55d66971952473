using System.CommandLine;
using System.Net;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Rollouts;

/// <summary>
/// <c>--verbose</c> says each change of the adaptive cap from the throttle's own log entry, with its facts: driven here
/// by a modelled server that serves 32 at once in 20 ms (the rest queue), answers taken a cap's worth at a time on a
/// fake clock.
/// </summary>
public sealed class VerboseThrottleLinesTests
{
    [Test]
    public async Task Verbose_AdaptiveCapOnAServerThatServes32AtOnce_SaysEachChangeWithItsAnswersASecond()
    {
        using var error = new StringWriter();
        var services = new ServiceCollection();
        CliVerbose.AddTo(services, new RootCommand { CliVerbose.Option }.Parse("--verbose"), error);
        await using var provider = services.BuildServiceProvider();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        var throttle = new KeycloakThrottle(
            Options.Create(new KeycloakOptions { MaxInFlight = null }), time, provider.GetRequiredService<ILogger<KeycloakThrottle>>());
        using var ok = new HttpResponseMessage(HttpStatusCode.OK);

        for (var round = 0; round < 200 && !error.ToString().Contains("64 → 32", StringComparison.Ordinal); round++)
        {
            var limit = throttle.CurrentLimit;
            var taken = new List<long>();
            for (var slot = 0; slot < limit; slot++)
            {
                taken.Add(await throttle.AcquireAsync(CancellationToken.None));
            }

            time.Advance(TimeSpan.FromMilliseconds(20 * Math.Max(1, limit / 32.0)));
            taken.ForEach(acquiredAt => throttle.Release(ok, acquiredAt));
        }

        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.EqualTo(new[]
        {
            "throttle: in flight 16 → 32: latency flat (20 ms, the calmest recent 20 ms) with 16 in flight",
            "throttle: in flight 32 → 64: 1600 answers/s with 32 in flight, 2.0× the 800 with 16 (latency 20 ms)",
            "throttle: in flight 64 → 32: 1600 answers/s with 64 in flight, 1.0× the 1600 with 32 (latency 40 ms): the extra requests only queued",
        }));
    }
}
