using System.Net;
using IdpBridge.Service.Ledger;
using IdpBridge.Service.Policies;
using IdpBridge.Service.Rollouts;
using IdpBridge.Testing.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

/// <summary>
/// The database goes away under the running service (a real PostgreSQL database that stops accepting connections,
/// its open ones cut): each worker says so at every tick and keeps ticking, the host keeps running, and readiness
/// reports the store; once the database is back, readiness is too.
/// </summary>
[NonParallelizable]
public sealed class WorkerFailureTests
{
    [TestCase(typeof(TermsTextWorker), "Terms step of realm externos not checked: The PostgreSQL database")]
    [TestCase(typeof(LedgerWorker), "Acceptance record of realm externos not synced: The PostgreSQL database")]
    [TestCase(typeof(RolloutWorker), "Could not look for versions to roll out: The PostgreSQL database")]
    public async Task DatabaseFailure_InWorker_LoggedEveryTickServiceKeepsRunningReadinessReportsStore(Type worker, string warning)
    {
        await using var database = await PostgresServer.CreateSharedDatabaseAsync("workers");
        using var harness = new ServiceHarness(settings: new Dictionary<string, string>
        {
            ["IdpBridge:Storage:Provider"] = "postgresql",
            ["IdpBridge:Storage:ConnectionString"] = database.ConnectionString,
        });
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var logs = new LogCapture();
        await using var factory = harness.Factory.WithWebHostBuilder(host =>
        {
            host.ConfigureLogging(logging => logging.AddProvider(logs));
            host.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(time));
        });
        using var client = factory.CreateClient();
        var healthy = await client.GetAsync("/health/ready");

        await SetConnectionsAllowedAsync(database, allowed: false);
        var failures = await TickUntilAsync(time, () => logs.Count(worker, LogLevel.Warning, warning) >= 2);
        var notReady = await client.GetAsync("/health/ready");
        var report = await factory.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains("ready"));
        var running = factory.Services.GetServices<IHostedService>().OfType<BackgroundService>().Single(service => service.GetType() == worker);
        var stopping = factory.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested;
        var live = await client.GetAsync("/health/live");
        await SetConnectionsAllowedAsync(database, allowed: true);
        var readyAgain = await client.GetAsync("/health/ready");

        Assert.Multiple(() =>
        {
            Assert.That(healthy.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(failures, Is.True, $"two warnings '{warning}' from {worker.Name}; logged: {logs}");
            Assert.That(logs.Count(worker, LogLevel.Error, ""), Is.Zero, "a dependency failure is not an unexpected error");
            Assert.That(running.ExecuteTask, Is.Not.Null);
            Assert.That(running.ExecuteTask!.IsCompleted, Is.False, $"{worker.Name} still runs: {running.ExecuteTask.Exception}");
            Assert.That(stopping, Is.False, "the host keeps running");
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(notReady.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(report.Entries["store"].Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(report.Entries["store"].Description, Does.Contain("IdpBridge:Storage:ConnectionString").And.Not.Contain(database.Server.Password));
            Assert.That(report.Entries["keycloak"].Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(readyAgain.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    /// <summary>
    /// Moves the service's clock a minute at a time (every worker's interval is a minute or less by default) until
    /// <paramref name="done"/>, giving the workers real time to run between steps.
    /// </summary>
    private static async Task<bool> TickUntilAsync(FakeTimeProvider time, Func<bool> done)
    {
        for (var step = 0; step < 60 && !done(); step++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(250);
        }

        return done();
    }

    /// <summary>
    /// The database stops (or starts again) accepting connections, superusers included, and its open connections are
    /// cut: to the service it is a database server gone away.
    /// </summary>
    private static async Task SetConnectionsAllowedAsync(PostgresTestDatabase database, bool allowed)
    {
        await using var connection = new NpgsqlConnection(database.Server.ConnectionString());
        await connection.OpenAsync();
        await using var alter = new NpgsqlCommand($"ALTER DATABASE \"{database.Name}\" ALLOW_CONNECTIONS {(allowed ? "true" : "false")}", connection);
        await alter.ExecuteNonQueryAsync();
        if (!allowed)
        {
            await using var cut = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", connection);
            cut.Parameters.AddWithValue("name", database.Name);
            await cut.ExecuteNonQueryAsync();
        }
    }
}
