using IdpBridge.Core.Rollouts;
using IdpBridge.Keycloak;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Rollouts;

public sealed class UserScanTests
{
    private KeycloakSimulator simulator = null!;
    private ServiceProvider services = null!;
    private SimulatedRealm realm = null!;
    private UserScan scan = null!;

    [SetUp]
    public void Start()
    {
        simulator = KeycloakSimulator.Start(new SimulatorOptions { MaxRequestLogCount = 10_000 });
        realm = simulator.CreateRealm("externos");
        services = new ServiceCollection()
            .AddKeycloakAdminClientFor(simulator)
            .BuildServiceProvider();
        scan = new UserScan(services.GetRequiredService<KeycloakAdminClient>());
    }

    [TearDown]
    public void Stop()
    {
        services.Dispose();
        simulator.Dispose();
    }

    [Test]
    public async Task Pages_QuietRealm_YieldEveryUserOnceInOrder()
    {
        realm.SeedUsers(1_000);

        var seen = await CollectAsync(ScanCursor.Start, pageSize: 50, between: null);

        Assert.Multiple(() =>
        {
            Assert.That(seen, Has.Count.EqualTo(1_000));
            Assert.That(seen, Is.Unique);
            Assert.That(seen, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        });
    }

    [Test]
    public async Task Pages_UsersDeletedAndCreatedBeforeTheCursorMidScan_NoSurvivorMissedNoneTwice()
    {
        realm.SeedUsers(1_000);
        var survivors = new HashSet<string>(realm.GetUsers().Select(user => user["username"]!.GetValue<string>()), StringComparer.Ordinal);
        var created = 0;
        var late = new List<string>();

        // After each page: delete 20 users already handled (four times the overlap) and add users on both sides.
        var seen = await CollectAsync(ScanCursor.Start, pageSize: 50, between: cursor =>
        {
            var handled = realm.GetUsers().Select(user => user["username"]!.GetValue<string>())
                .Where(name => string.CompareOrdinal(name, cursor.AfterUsername) <= 0).Take(20).ToList();
            foreach (var name in handled)
            {
                realm.DeleteUser(realm.FindUserId(name)!);
                survivors.Remove(name);
            }

            realm.AddUser($"aaa-new-{created++:D4}");   // before the cursor: a new user, covered by the default action
            late.Add($"zzz-new-{created++:D4}");
            realm.AddUser(late[^1]);   // after the cursor: this walk meets it, unless it came after the last read
        });

        // The callback after the last page runs once the walk has read everything: that user is new after the walk.
        var expectedLate = late.SkipLast(1);
        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.Unique, "a user was yielded twice");
            Assert.That(survivors.Except(seen), Is.Empty, "a user present for the whole walk was missed");
            Assert.That(expectedLate.Except(seen), Is.Empty, "a user created after the cursor was missed");
        });
    }

    [Test]
    public async Task Pages_ResumedFromAStoredCursorAfterDeletions_ContinueWithoutGapOrRepeat()
    {
        realm.SeedUsers(500);
        var all = realm.GetUsers().Select(user => user["username"]!.GetValue<string>()).ToList();
        var firstPart = new List<string>();
        ScanCursor? stored = null;
        await foreach (var page in scan.PagesAsync("externos", ScanCursor.Start, pageSize: 40))
        {
            firstPart.AddRange(page.Users.Select(user => user.Username!));
            stored = page.Next;
            if (firstPart.Count >= 120)
            {
                break; // the process stops here: only the cursor survives
            }
        }

        foreach (var name in firstPart.Take(60))
        {
            realm.DeleteUser(realm.FindUserId(name)!);
        }

        var rest = await CollectAsync(stored!, pageSize: 40, between: null);

        Assert.Multiple(() =>
        {
            Assert.That(firstPart.Intersect(rest), Is.Empty, "a handled user was yielded again after the resume");
            Assert.That(firstPart.Concat(rest), Is.EquivalentTo(all), "the two walks together must cover every user once");
        });
    }

    private async Task<List<string>> CollectAsync(ScanCursor from, int pageSize, Action<ScanCursor>? between)
    {
        var seen = new List<string>();
        await foreach (var page in scan.PagesAsync("externos", from, pageSize))
        {
            seen.AddRange(page.Users.Select(user => user.Username!));
            between?.Invoke(page.Next);
        }

        return seen;
    }
}
