using System.Net;
using IdpBridge.Keycloak.Http;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace IdpBridge.Keycloak.Tests;

public sealed class ThrottleTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task Acquire_AtTheCap_WaitsForARelease()
    {
        var throttle = Throttle(maxInFlight: 2);
        await throttle.AcquireAsync(CancellationToken.None);
        await throttle.AcquireAsync(CancellationToken.None);

        var third = throttle.AcquireAsync(CancellationToken.None);
        await Task.Delay(50);
        var waitedWhileFull = !third.IsCompleted;
        throttle.Release(Answer(HttpStatusCode.OK));
        await third.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Multiple(() =>
        {
            Assert.That(waitedWhileFull, Is.True);
            Assert.That(throttle.InFlight, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Release_ManyWaiting_StartsOneInArrivalOrderPerFreedSlot()
    {
        var throttle = Throttle(maxInFlight: 1);
        await throttle.AcquireAsync(CancellationToken.None);
        var waiting = new List<Task<long>>();
        for (var i = 0; i < 5; i++)
        {
            waiting.Add(throttle.AcquireAsync(CancellationToken.None));
            await Task.Delay(10);
        }

        throttle.Release(Answer(HttpStatusCode.OK));
        await waiting[0].WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        var startedAfterOne = waiting.Count(task => task.IsCompleted);
        throttle.Release(Answer(HttpStatusCode.OK));
        await waiting[1].WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Multiple(() =>
        {
            Assert.That(startedAfterOne, Is.EqualTo(1), "one freed slot starts one waiter");
            Assert.That(waiting.Count(task => task.IsCompleted), Is.EqualTo(2));
            Assert.That(throttle.InFlight, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Release_AWaiterCancelled_TheNextOneGetsTheSlot()
    {
        var throttle = Throttle(maxInFlight: 1);
        await throttle.AcquireAsync(CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        var cancelled = throttle.AcquireAsync(giveUp.Token);
        await Task.Delay(10);
        var next = throttle.AcquireAsync(CancellationToken.None);
        await Task.Delay(10);

        await giveUp.CancelAsync();
        throttle.Release(Answer(HttpStatusCode.OK));

        Assert.ThrowsAsync<TaskCanceledException>(async () => await cancelled);
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(throttle.InFlight, Is.EqualTo(1));
    }

    [TestCase(HttpStatusCode.ServiceUnavailable)]
    [TestCase(HttpStatusCode.TooManyRequests)]
    public async Task Release_Overloaded_HalvesTheCapOncePerBurstAndGrowsBackOnSuccess(HttpStatusCode overloaded)
    {
        var throttle = Throttle(maxInFlight: 8);
        for (var i = 0; i < 3; i++)
        {
            await throttle.AcquireAsync(CancellationToken.None);
        }

        throttle.Release(Answer(overloaded));
        throttle.Release(Answer(overloaded));   // the same burst: no second halving
        var afterBurst = throttle.CurrentLimit;
        time.Advance(TimeSpan.FromSeconds(1));
        throttle.Release(Answer(overloaded));   // a later one halves again
        var afterSecond = throttle.CurrentLimit;
        for (var i = 0; i < 2; i++)
        {
            await throttle.AcquireAsync(CancellationToken.None);
            throttle.Release(Answer(HttpStatusCode.OK));
        }

        Assert.Multiple(() =>
        {
            Assert.That(afterBurst, Is.EqualTo(4));
            Assert.That(afterSecond, Is.EqualTo(2));
            Assert.That(throttle.CurrentLimit, Is.EqualTo(3), "two successes at a cap of two grow it by one");
            Assert.That(throttle.Slowdowns, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Release_RetryAfter_PausesEveryCallerUntilThen()
    {
        var throttle = Throttle(maxInFlight: 8);
        await throttle.AcquireAsync(CancellationToken.None);
        var tooMany = Answer(HttpStatusCode.TooManyRequests);
        tooMany.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
        throttle.Release(tooMany);

        var first = throttle.AcquireAsync(CancellationToken.None);
        var second = throttle.AcquireAsync(CancellationToken.None);
        await Task.Delay(50);
        var pausedEarly = !first.IsCompleted && !second.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1_500));
        await Task.Delay(50);
        var pausedLater = !first.IsCompleted && !second.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(600));
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Multiple(() =>
        {
            Assert.That(pausedEarly, Is.True, "a caller started before Retry-After");
            Assert.That(pausedLater, Is.True, "a caller started before Retry-After");
            Assert.That(throttle.InFlight, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Acquire_RateLimit_SpacesStartsEvenly()
    {
        var throttle = Throttle(maxInFlight: 8, perSecond: 10);
        await throttle.AcquireAsync(CancellationToken.None);
        var second = throttle.AcquireAsync(CancellationToken.None);
        await Task.Delay(50);
        var waited = !second.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(100));
        await second.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.That(waited, Is.True, "the second start came sooner than 1/10 s after the first");
    }

    [Test]
    public async Task Client_ManyCallsAtOnce_NeverMoreInFlightThanTheCap()
    {
        using var harness = ClientHarness.Start(configure: options => options.MaxInFlight = 3);
        var realm = harness.Simulator.CreateRealm("externos");
        realm.SeedUsers(40);
        harness.Simulator.Faults.Latency = TimeSpan.FromMilliseconds(20);
        harness.Simulator.Faults.ResetPeakInFlight();

        await Task.WhenAll(realm.UserIds.Select(id => harness.Client.FindUserAsync("externos", id)));

        Assert.That(harness.Simulator.Faults.PeakInFlight, Is.InRange(2, 3));
    }

    private KeycloakThrottle Throttle(int maxInFlight, double perSecond = 0) =>
        new(Options.Create(new KeycloakOptions { MaxInFlight = maxInFlight, MaxRequestsPerSecond = perSecond }), time);

    private static HttpResponseMessage Answer(HttpStatusCode status) => new(status);
}
