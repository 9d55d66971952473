using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IdpBridge.Testing.Simulator;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

/// <summary>The verification route of the admin API, on the service's SQLite store.</summary>
public sealed class LedgerVerifyEndpointTests
{
    private const string Verify = "/api/admin/realms/externos/ledger/verify";

    private ServiceHarness harness = null!;
    private SimulatedRealm realm = null!;

    [SetUp]
    public void Start() => realm = (harness = new ServiceHarness()).TermsRealm();

    [TearDown]
    public void Stop() => harness.Dispose();

    [Test]
    public async Task Verify_PublishedVersionAndRecords_IntactThenTheChangedTextNamed()
    {
        var admin = harness.Client(harness.AdminToken());
        var published = await admin.PostAsJsonAsync("/api/admin/realms/externos/policies/privacy/versions", new
        {
            documents = new[] { new { name = "es.md", content = ServiceHarness.DemoPolicy("v1", "es") }, new { name = "en.md", content = ServiceHarness.DemoPolicy("v1", "en") } },
        });
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.Created), await published.Content.ReadAsStringAsync());
        realm.AcceptTerms(realm.AddUser("ana"));
        Assert.That((await admin.PostAsync("/api/admin/realms/externos/ledger/sync", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var intact = await admin.GetFromJsonAsync<JsonElement>(Verify);
        await using (var file = new SqliteConnection($"Data Source={harness.DatabasePath};Pooling=False"))
        {
            await file.OpenAsync();
            await using var tamper = file.CreateCommand();
            tamper.CommandText = "DROP TRIGGER policy_texts_immutable_update; UPDATE policy_texts SET markdown = markdown || ' y su teléfono' WHERE locale = 'es'";
            await tamper.ExecuteNonQueryAsync();
        }

        var tampered = await admin.GetAsync(Verify);
        var found = await tampered.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(intact.GetProperty("intact").GetBoolean(), Is.True, intact.ToString());
        Assert.That(intact.GetProperty("records").GetInt64(), Is.EqualTo(1));
        Assert.That(intact.GetProperty("versions").GetInt64(), Is.EqualTo(1));
        Assert.That(tampered.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(found.GetProperty("intact").GetBoolean(), Is.False);
        var problems = found.GetProperty("tampering").EnumerateArray().Select(item => item.GetProperty("problem").GetString()).ToList();
        Assert.That(problems, Has.Some.Contains("text es: its Markdown hashes to"), found.ToString());
        Assert.That(found.GetProperty("tampering").EnumerateArray().Select(item => item.GetProperty("kind").GetString()).Distinct(), Is.EqualTo(new[] { "version" }));
    }

    [Test]
    public async Task Verify_NoToken_Is401()
    {
        var response = await harness.Client().GetAsync(Verify);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
