using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>
/// What every <see cref="IPolicyStore"/> and <see cref="IStoreDatabase"/> must do, run against each provider on a fresh
/// database per test.
/// </summary>
public abstract class PolicyStoreContract : StoreContract
{
    protected IPolicyStore Store { get; private set; } = null!;

    protected abstract IPolicyStore CreateStore(IStoreDatabase database);

    [SetUp]
    public void CreateStoreOnDatabase() => Store = CreateStore(Database);

    [Test]
    public async Task AddAsync_NewPolicy_ReadsBackExactly()
    {
        // Arrange
        var version = Version(
            PolicyVersionKind.Minor, T0, T0.AddDays(7),
            Text("es", "Política de privacidad", "Primera versión: «nombre», ñ y emoji ✓", "# Privacidad\n\nSólo nombre, apellidos y correo.\r\n"),
            Text("en", "Privacy policy", null, "# Privacy\n\nFirst name, last name and email only.\n"),
            Text("pt-BR", "Política de privacidade", "", "# Privacidade\n"));

        // Act
        var (stored, created) = await Store.AddAsync(version);
        var read = await Store.GetAsync(Realm, Policy, 1);

        // Assert
        Assert.That(created, Is.True);
        Assert.That(read, Is.Not.Null);
        AssertSame(read!, version with { Number = 1 });
        AssertSame(stored, version with { Number = 1 });
        Assert.That(read!.PublishedAt.Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task AddAsync_Notice_ReadsBackAsNotice()
    {
        // Arrange: the third kind, added by migration 6 to the kind column's check.
        var version = Version(PolicyVersionKind.Notice, T0, T0, Text("es", "Privacidad", "Avisos por correo", "uno"));

        // Act
        await Store.AddAsync(version);
        var read = await Store.GetAsync(Realm, Policy, 1);
        var listed = await Store.ListAsync(Realm, Policy);

        // Assert
        Assert.That(read!.Kind, Is.EqualTo(PolicyVersionKind.Notice));
        Assert.That(listed.Single().Kind, Is.EqualTo(PolicyVersionKind.Notice));
    }

    [Test]
    public async Task AddAsync_SubMillisecondTimesWithOffset_StoresUtcMilliseconds()
    {
        // Arrange: 14:00:00.1239999 at +02:00 is 12:00:00.123 UTC once the sub-millisecond part is dropped.
        var published = new DateTimeOffset(2025, 3, 1, 14, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_239_999);
        var version = Version(PolicyVersionKind.Material, published, published, Text("es", "T", null, "uno"));

        // Act
        var (stored, _) = await Store.AddAsync(version);
        var read = await Store.GetAsync(Realm, Policy, 1);

        // Assert
        Assert.That(read!.PublishedAt, Is.EqualTo(T0));
        Assert.That(read.PublishedAt.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(read.EffectiveAt, Is.EqualTo(T0));
        Assert.That(stored.PublishedAt, Is.EqualTo(read.PublishedAt));
    }

    [Test]
    public async Task AddAsync_ThreeDifferentTexts_NumbersOneTwoThree()
    {
        // Act
        var numbers = new List<int>();
        foreach (var body in new[] { "uno", "dos", "tres" })
        {
            numbers.Add((await Store.AddAsync(Simple(body))).Version.Number);
        }

        // Assert
        Assert.That(numbers, Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public async Task AddAsync_NumberGivenByCaller_IsIgnored()
    {
        // Act
        var (stored, _) = await Store.AddAsync(Simple("uno") with { Number = 42 });

        // Assert
        Assert.That(stored.Number, Is.EqualTo(1));
        Assert.That(await Store.GetAsync(Realm, Policy, 42), Is.Null);
    }

    [Test]
    public async Task AddAsync_SameHashAsLatest_ReturnsLatestWithoutCreating()
    {
        // Arrange
        await Store.AddAsync(Simple("uno"));
        var (latest, _) = await Store.AddAsync(Simple("dos"));

        // Act: the same text again, even with other times and kind, is the same version.
        var (again, created) = await Store.AddAsync(Simple("dos", T0.AddDays(30)) with { Kind = PolicyVersionKind.Minor });

        // Assert
        Assert.That(created, Is.False);
        AssertSame(again, latest);
        Assert.That(await Store.ListAsync(Realm, Policy), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task AddAsync_SameHashAsOlderVersion_CreatesNextNumber()
    {
        // Arrange
        await Store.AddAsync(Simple("uno"));
        await Store.AddAsync(Simple("dos"));

        // Act: going back to version 1's text is a new publication.
        var (stored, created) = await Store.AddAsync(Simple("uno"));

        // Assert
        Assert.That(created, Is.True);
        Assert.That(stored.Number, Is.EqualTo(3));
    }

    [Test]
    public async Task AddAsync_DifferentText_NeverOverwritesEarlierVersion()
    {
        // Arrange
        var (first, _) = await Store.AddAsync(Simple("uno"));

        // Act
        var (second, created) = await Store.AddAsync(Simple("dos", T0.AddDays(1)));

        // Assert
        Assert.That(created, Is.True);
        Assert.That(second.Number, Is.EqualTo(2));
        AssertSame((await Store.GetAsync(Realm, Policy, 1))!, first);
        AssertSame((await Store.GetAsync(Realm, Policy, 2))!, second);
    }

    [Test]
    public void AddAsync_EffectiveBeforePublished_Throws()
    {
        // Arrange
        var version = Version(PolicyVersionKind.Material, T0, T0.AddMilliseconds(-1), Text("es", "T", null, "uno"));

        // Act / Assert
        Assert.ThrowsAsync<ArgumentException>(() => Store.AddAsync(version));
    }

    [Test]
    public void AddAsync_TwoTextsWithOneLocale_Throws()
    {
        // Arrange
        var version = Version(PolicyVersionKind.Material, T0, T0, Text("es", "T", null, "uno"), Text("es", "T", null, "dos"));

        // Act / Assert
        Assert.ThrowsAsync<ArgumentException>(() => Store.AddAsync(version));
    }

    [Test]
    public async Task GetAsync_AbsentVersionOrPolicy_ReturnsNull()
    {
        // Arrange
        await Store.AddAsync(Simple("uno"));

        // Act / Assert
        Assert.That(await Store.GetAsync(Realm, Policy, 2), Is.Null);
        Assert.That(await Store.GetAsync(Realm, "terms", 1), Is.Null);
        Assert.That(await Store.GetAsync("other", Policy, 1), Is.Null);
    }

    [Test]
    public async Task GetEffectiveAsync_AroundEffectiveAt_ReturnsVersionInForce()
    {
        // Arrange: version 2 is published a day after version 1 and scheduled a week later still.
        await Store.AddAsync(Version(PolicyVersionKind.Material, T0, T0, Text("es", "T", null, "uno")));
        var scheduled = T0.AddDays(8);
        await Store.AddAsync(Version(PolicyVersionKind.Material, T0.AddDays(1), scheduled, Text("es", "T", null, "dos")));

        // Act
        var beforeFirst = await Store.GetEffectiveAsync(Realm, Policy, T0.AddMilliseconds(-1));
        var atFirst = await Store.GetEffectiveAsync(Realm, Policy, T0);
        var afterPublishing = await Store.GetEffectiveAsync(Realm, Policy, T0.AddDays(2));
        var justBefore = await Store.GetEffectiveAsync(Realm, Policy, scheduled.AddMilliseconds(-1));
        var atSchedule = await Store.GetEffectiveAsync(Realm, Policy, scheduled);
        var inOtherOffset = await Store.GetEffectiveAsync(Realm, Policy, scheduled.ToOffset(TimeSpan.FromHours(-5)));

        // Assert
        Assert.That(beforeFirst, Is.Null);
        Assert.That(atFirst!.Number, Is.EqualTo(1));
        Assert.That(afterPublishing!.Number, Is.EqualTo(1), "a scheduled version is not in force yet");
        Assert.That(justBefore!.Number, Is.EqualTo(1));
        Assert.That(atSchedule!.Number, Is.EqualTo(2));
        Assert.That(inOtherOffset!.Number, Is.EqualTo(2));
        Assert.That(atSchedule.Texts.Single().Markdown, Is.EqualTo("dos"));
    }

    [Test]
    public async Task ListAsync_SeveralVersions_OldestFirstWithTextsInStoredOrder()
    {
        // Arrange
        await Store.AddAsync(Version(PolicyVersionKind.Material, T0, T0, Text("es", "T", null, "uno"), Text("en", "T", null, "one")));
        await Store.AddAsync(Version(PolicyVersionKind.Minor, T0.AddDays(1), T0.AddDays(1),
            Text("pt-BR", "T", null, "dois"), Text("es", "T", null, "dos"), Text("en", "T", null, "two")));
        await Store.AddAsync(Simple("tres", T0.AddDays(2)));

        // Act
        var versions = await Store.ListAsync(Realm, Policy);

        // Assert
        Assert.That(versions.Select(v => v.Number), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(versions[0].Texts.Select(t => t.Locale), Is.EqualTo(new[] { "es", "en" }));
        Assert.That(versions[1].Texts.Select(t => t.Locale), Is.EqualTo(new[] { "pt-BR", "es", "en" }));
        Assert.That(versions[1].Kind, Is.EqualTo(PolicyVersionKind.Minor));
    }

    [Test]
    public async Task ListAsync_OtherRealmsAndPolicies_NotMixedIn()
    {
        // Arrange
        await Store.AddAsync(Simple("uno"));
        await Store.AddAsync(Simple("uno") with { Policy = "terms" });
        await Store.AddAsync(Simple("uno") with { Realm = "internos" });

        // Act
        var versions = await Store.ListAsync(Realm, Policy);

        // Assert
        Assert.That(versions, Has.Count.EqualTo(1));
        Assert.That(await Store.ListAsync(Realm, "absent"), Is.Empty);
        Assert.That((await Store.GetAsync(Realm, "terms", 1))!.Number, Is.EqualTo(1), "each policy numbers on its own");
    }

    [Test]
    public async Task ListPoliciesAsync_SeveralPolicies_SortedAndPerRealm()
    {
        // Arrange
        foreach (var policy in new[] { "terms", "privacy", "Cookies", "privacy" })
        {
            await Store.AddAsync(Simple("uno") with { Policy = policy });
        }

        await Store.AddAsync(Simple("uno") with { Realm = "internos", Policy = "internal" });

        // Act
        var policies = await Store.ListPoliciesAsync(Realm);

        // Assert
        Assert.That(policies, Is.EqualTo(new[] { "Cookies", "privacy", "terms" }));
        Assert.That(await Store.ListPoliciesAsync("nobody"), Is.Empty);
    }

    [Test]
    public async Task ListRealmsAsync_SeveralRealms_EachOnceSorted()
    {
        // Arrange
        Assert.That(await Store.ListRealmsAsync(), Is.Empty);
        foreach (var (realm, policy) in new[] { ("externos", "privacy"), ("Zeta", "privacy"), ("externos", "terms"), ("alpha", "privacy") })
        {
            await Store.AddAsync(Simple("uno") with { Realm = realm, Policy = policy });
        }

        // Act
        var realms = await Store.ListRealmsAsync();

        // Assert
        Assert.That(realms, Is.EqualTo(new[] { "Zeta", "alpha", "externos" }));
    }

    [Test]
    public async Task AddAsync_TwentyConcurrentPublishers_NumbersOneToTwentyWithoutGaps()
    {
        // Arrange: each publisher has its own store, as separate requests or replicas would.
        var stores = Enumerable.Range(0, 20).Select(_ => CreateStore(OpenAgain(Database))).ToList();

        // Act
        var results = await Task.WhenAll(stores.Select((store, i) => Task.Run(() => store.AddAsync(Simple($"texto {i}")))));

        // Assert
        Assert.That(results.All(result => result.Created), Is.True);
        Assert.That(results.Select(result => result.Version.Number).Order(), Is.EqualTo(Enumerable.Range(1, 20)));
        var listed = await Store.ListAsync(Realm, Policy);
        Assert.That(listed.Select(v => v.Number), Is.EqualTo(Enumerable.Range(1, 20)));
        Assert.That(listed.Select(v => v.Texts.Single().Markdown).Distinct().Count(), Is.EqualTo(20));
    }

    [Test]
    public async Task AddAsync_ConcurrentSameText_CreatesOneVersion()
    {
        // Arrange
        var stores = Enumerable.Range(0, 8).Select(_ => CreateStore(OpenAgain(Database))).ToList();

        // Act
        var results = await Task.WhenAll(stores.Select(store => Task.Run(() => store.AddAsync(Simple("uno")))));

        // Assert
        Assert.That(results.Count(result => result.Created), Is.EqualTo(1));
        Assert.That(results.Select(result => result.Version.Number).Distinct(), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public async Task MigrateAsync_SecondRun_AppliesNothing()
    {
        // Arrange: SetUp migrated already; a fresh database shows the first run too.
        var fresh = await CreateDatabaseAsync();
        try
        {
            // Act
            var first = await fresh.MigrateAsync();
            var second = await fresh.MigrateAsync();

            // Assert
            Assert.That(first, Is.GreaterThanOrEqualTo(1));
            Assert.That(second, Is.Zero);
            Assert.That(await fresh.GetSchemaVersionAsync(), Is.EqualTo(first));
            Assert.That(await ScalarAsync(fresh, "SELECT count(*) FROM schema_version"), Is.EqualTo(first));
        }
        finally
        {
            await DisposeDatabaseAsync(fresh);
        }
    }

    [Test]
    public async Task MigrateAsync_TwoProcessesAtOnce_LeaveOneSchema()
    {
        // Arrange
        var fresh = await CreateDatabaseAsync();
        var other = OpenAgain(fresh);
        try
        {
            // Act
            var applied = await Task.WhenAll(Task.Run(() => fresh.MigrateAsync()), Task.Run(() => other.MigrateAsync()));

            // Assert: every migration applied once, by one or the other (each migration is its own locked step, so
            // the two may share the work).
            var latest = await fresh.GetSchemaVersionAsync();
            Assert.That(applied.Sum(), Is.EqualTo(latest));
            Assert.That(await ScalarAsync(fresh, "SELECT count(*) FROM schema_version"), Is.EqualTo(latest));
            var (version, created) = await CreateStore(other).AddAsync(Simple("uno"));
            Assert.That(created && version.Number == 1, Is.True);
        }
        finally
        {
            if (!ReferenceEquals(other, fresh))
            {
                await DisposeDatabaseAsync(other);
            }

            await DisposeDatabaseAsync(fresh);
        }
    }

    [Test]
    public async Task GetSchemaVersionAsync_EmptyDatabase_ReturnsZero()
    {
        // Arrange
        var fresh = await CreateDatabaseAsync();
        try
        {
            // Act / Assert
            Assert.That(await fresh.GetSchemaVersionAsync(), Is.Zero);
        }
        finally
        {
            await DisposeDatabaseAsync(fresh);
        }
    }

    [TestCase("UPDATE policy_versions SET content_hash = 'x'")]
    [TestCase("DELETE FROM policy_texts")]
    [TestCase("DELETE FROM policy_versions")]
    [TestCase("UPDATE policy_texts SET markdown = 'x'")]
    public async Task Database_ChangeToStoredVersion_IsRefused(string sql)
    {
        // Arrange
        await Store.AddAsync(Simple("uno"));

        // Act / Assert
        Assert.CatchAsync<Exception>(() => ScalarAsync(Database, sql));
        Assert.That((await Store.GetAsync(Realm, Policy, 1))!.Texts.Single().Markdown, Is.EqualTo("uno"));
    }

    [Test]
    public async Task CheckAsync_ReachableDatabase_Completes()
    {
        // Act / Assert
        await Database.CheckAsync();
        Assert.Pass();
    }

    protected static PolicyVersion Simple(string markdown, DateTimeOffset? publishedAt = null) =>
        Version(PolicyVersionKind.Material, publishedAt ?? T0, publishedAt ?? T0, Text("es", "Privacidad", "Cambios", markdown));

    protected static PolicyText Text(string locale, string title, string? summary, string markdown) =>
        new(locale, title, summary, markdown, Sha256(markdown));

    protected static PolicyVersion Version(PolicyVersionKind kind, DateTimeOffset publishedAt, DateTimeOffset effectiveAt, params PolicyText[] texts)
    {
        var lines = texts.OrderBy(t => t.Locale, StringComparer.Ordinal).Select(t => $"{t.Locale}:{t.Sha256}\n");
        return new PolicyVersion(Realm, Policy, 0, kind, publishedAt, effectiveAt, Sha256(string.Concat(lines)), texts);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void AssertSame(PolicyVersion actual, PolicyVersion expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(actual.Realm, Is.EqualTo(expected.Realm));
            Assert.That(actual.Policy, Is.EqualTo(expected.Policy));
            Assert.That(actual.Number, Is.EqualTo(expected.Number));
            Assert.That(actual.Kind, Is.EqualTo(expected.Kind));
            Assert.That(actual.PublishedAt, Is.EqualTo(expected.PublishedAt));
            Assert.That(actual.EffectiveAt, Is.EqualTo(expected.EffectiveAt));
            Assert.That(actual.ContentHash, Is.EqualTo(expected.ContentHash));
            Assert.That(actual.Texts, Is.EqualTo(expected.Texts), "texts, in order, field by field");
        });
    }
}
