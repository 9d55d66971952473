using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using IdpBridge.Testing.Storage;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Rollouts;

/// <summary>Rollouts on PostgreSQL, where several service replicas share one database.</summary>
public sealed class PostgresRolloutRunnerTests
{
    [Test]
    public async Task Run_TwoReplicasStartedAtOnce_OneCompletesTheOtherIsBusyAndNoUserIsWrittenTwice()
    {
        // Arrange: two "replicas" (service providers with their own client, throttle and store handle) on one database.
        // Logged in as the restricted service role, migrated by the owner, as the README sets a deployment up.
        await using var database = await PostgresRoleDatabase.CreateSharedAsync("rollout");
        await using var harness = await RolloutHarness.StartAsync(storage: options =>
        {
            options.Provider = StorageProvider.PostgreSql;
            options.ConnectionString = database.ServiceConnectionString;
            options.OwnerConnectionString = database.OwnerConnectionString;
        });
        harness.Realm.SeedUsers(300);
        var rollout = await harness.StartRolloutAsync();
        await using var first = harness.NewProcess();
        await using var second = harness.NewProcess();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<RolloutRun> RunWhenToldAsync(ServiceProvider replica) => Task.Run(async () =>
        {
            var runner = replica.GetRequiredService<RolloutRunner>();
            await go.Task;
            return await runner.RunAsync(rollout.Id);
        });

        // Act
        var runs = RunWhenToldAsync(first);
        var otherRuns = RunWhenToldAsync(second);
        go.SetResult();
        var ends = await Task.WhenAll(runs, otherRuns);

        // Assert
        var stored = (await harness.Store.GetAsync(rollout.Id))!;
        var puts = harness.UserPuts();
        Assert.Multiple(() =>
        {
            Assert.That(ends.Select(run => run.End), Is.EquivalentTo(new[] { RunEnd.Completed, RunEnd.Busy }), string.Join(", ", ends.Select(run => run.Interruption?.ToString())));
            Assert.That(puts.Select(put => put.UserId), Is.Unique, "a user was written twice");
            Assert.That(harness.Realm.UserIds.Where(id => !harness.CarriesTerms(id)), Is.Empty);
            Assert.That(stored.Status, Is.EqualTo(RolloutStatus.Completed));
            Assert.That(stored.Counts.Marked, Is.EqualTo(puts.Count));
            Assert.That(stored.Counts.Scanned, Is.EqualTo(300));
            Assert.That(stored.LeaseOwner, Is.Null);
        });
    }
}
