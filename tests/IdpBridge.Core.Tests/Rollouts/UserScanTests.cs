using System.Globalization;
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

    [TestCase(0)]
    [TestCase(2)]
    public async Task Pages_QuietRealm_YieldEveryUserOnceInOrder(int readAhead)
    {
        realm.SeedUsers(1_000);

        var seen = await CollectAsync(ScanCursor.Start, pageSize: 50, readAhead, between: null);

        Assert.Multiple(() =>
        {
            Assert.That(seen, Has.Count.EqualTo(1_000));
            Assert.That(seen, Is.Unique);
            Assert.That(seen, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        });
    }

    [TestCase(0)]
    [TestCase(2)]
    public async Task Pages_UsersDeletedAndCreatedBeforeTheCursorMidScan_NoSurvivorMissedNoneTwice(int readAhead)
    {
        realm.SeedUsers(1_000);
        var survivors = new HashSet<string>(realm.GetUsers().Select(user => user["username"]!.GetValue<string>()), StringComparer.Ordinal);
        var created = 0;
        var late = new List<string>();

        // After each page: delete 20 users already handled (four times the overlap) and add users on both sides.
        var seen = await CollectAsync(ScanCursor.Start, pageSize: 50, readAhead, between: cursor =>
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

        // The callback after the last page runs once the walk has read everything: that user is new after the walk. With
        // pages read ahead, the last pages were read that many callbacks earlier: the users created since are new too.
        var expectedLate = late.SkipLast(1 + readAhead);
        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.Unique, "a user was yielded twice");
            Assert.That(survivors.Except(seen), Is.Empty, "a user present for the whole walk was missed");
            Assert.That(expectedLate.Except(seen), Is.Empty, "a user created after the cursor was missed");
        });
    }

    [TestCase(0)]
    [TestCase(2)]
    public async Task Pages_SoManyDeletedThatTheNextPageIsEmpty_TheUsersLeftAreStillWalked(int readAhead)
    {
        realm.SeedUsers(100);
        var names = realm.GetUsers().Select(user => user["username"]!.GetValue<string>()).ToList();
        var deleted = false;

        // After the first page (50 users): its 50 and the next 5 are deleted, so 45 are left and offset 45 is past them all.
        var seen = await CollectAsync(ScanCursor.Start, pageSize: 50, readAhead, between: _ =>
        {
            if (!deleted)
            {
                deleted = true;
                foreach (var name in names.Take(55))
                {
                    realm.DeleteUser(realm.FindUserId(name)!);
                }
            }
        });

        Assert.That(seen, Is.EqualTo(names.Take(50).Concat(names.Skip(55))), "the 45 users left after the deletions were not walked");
    }

    [TestCase(0)]
    [TestCase(2)]
    public async Task Pages_ResumedFromAStoredCursorAfterDeletions_ContinueWithoutGapOrRepeat(int readAhead)
    {
        realm.SeedUsers(500);
        var all = realm.GetUsers().Select(user => user["username"]!.GetValue<string>()).ToList();
        var firstPart = new List<string>();
        ScanCursor? stored = null;
        await foreach (var page in scan.PagesAsync("externos", ScanCursor.Start, pageSize: 40, readAhead))
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

        var rest = await CollectAsync(stored!, pageSize: 40, readAhead, between: null);

        Assert.Multiple(() =>
        {
            Assert.That(firstPart.Intersect(rest), Is.Empty, "a handled user was yielded again after the resume");
            Assert.That(firstPart.Concat(rest), Is.EquivalentTo(all), "the two walks together must cover every user once");
        });
    }

    [Test]
    public async Task Pages_TwoReadAhead_SameListRequestsAsOneByOneAndTwoPastTheEnd()
    {
        realm.SeedUsers(1_000);

        await CollectAsync(ScanCursor.Start, pageSize: 50, readAhead: 2, between: null);

        // A page of 50 holds 45 new users after the overlap of 5: offsets 0, 45, ..., 990 (the last, 10 users), and
        // the two read ahead of it, 1035 and 1080, which find nobody.
        var offsets = ListOffsets();
        Assert.That(offsets, Is.EquivalentTo(Enumerable.Range(0, 25).Select(page => page * 45)));
    }

    [Test]
    public async Task Pages_ConsumerStopsAfterTheFirstPage_ReadsAheadEndWithTheWalk()
    {
        realm.SeedUsers(1_000);

        await foreach (var page in scan.PagesAsync("externos", ScanCursor.Start, pageSize: 50, readAhead: 2))
        {
            break;
        }

        // Requests cancelled in flight may reach the simulator a moment later: give them that moment.
        await Task.Delay(200);
        Assert.That(ListOffsets(), Is.SubsetOf(new[] { 0, 45, 90 }), "only the page taken and the two read ahead of it");
    }

    private List<int> ListOffsets() =>
    [
        .. simulator.Requests
            .Where(request => request.Method == "GET" && request.Path.EndsWith("/users", StringComparison.Ordinal))
            .Select(request => int.Parse(request.Query.Single(pair => pair.Key == "first").Value, CultureInfo.InvariantCulture)),
    ];

    private async Task<List<string>> CollectAsync(ScanCursor from, int pageSize, int readAhead, Action<ScanCursor>? between)
    {
        var seen = new List<string>();
        await foreach (var page in scan.PagesAsync("externos", from, pageSize, readAhead))
        {
            seen.AddRange(page.Users.Select(user => user.Username!));
            between?.Invoke(page.Next);
        }

        return seen;
    }
}
