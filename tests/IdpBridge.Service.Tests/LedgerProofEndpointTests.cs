using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using IdpBridge.Core.Ledger.Proof;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

/// <summary>
/// The proof route of the admin API and the public key route: a proof the service signs verifies offline with the key
/// it serves anonymously; refusals are problems; the route is the admins' (realm binding: <see cref="AdminRealmBindingTests"/>).
/// </summary>
public sealed class LedgerProofEndpointTests
{
    private const string Proof = "/api/admin/realms/externos/ledger/proof";

    private string keyFolder = null!;
    private ServiceHarness harness = null!;
    private SimulatedRealm realm = null!;

    [SetUp]
    public void Start()
    {
        keyFolder = Directory.CreateTempSubdirectory("idpbridge-proof-key-").FullName;
        var keyPath = Path.Combine(keyFolder, "proof-key.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        harness = new ServiceHarness(settings: new Dictionary<string, string> { ["IdpBridge:Proof:SigningKeyPath"] = keyPath });
        realm = harness.TermsRealm();
    }

    [TearDown]
    public void Stop()
    {
        harness.Dispose();
        Directory.Delete(keyFolder, recursive: true);
    }

    [Test]
    public async Task Proof_AcceptedUser_JsonAndPageVerifyWithTheServedPublicKey()
    {
        var admin = await AcceptedAsync();
        using var keyResponse = await harness.Client().GetAsync("/api/proof/public-key");
        var pem = await keyResponse.Content.ReadAsStringAsync();
        using var json = await admin.GetAsync($"{Proof}?user=ana");
        using var pageRequest = new HttpRequestMessage(HttpMethod.Get, $"{Proof}?user=ana&version=1");
        pageRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var page = await admin.SendAsync(pageRequest);

        Assert.That(keyResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK), pem);
        Assert.That(pem, Does.StartWith("-----BEGIN PUBLIC KEY-----").And.Not.Contain("PRIVATE"));
        using var publicKey = ProofKeys.ReadPublic(pem)!;
        Assert.That(keyResponse.Headers.GetValues("IdpBridge-Key-Id").Single(), Is.EqualTo(ProofKeys.KeyId(publicKey)));
        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.OK), await json.Content.ReadAsStringAsync());
        Assert.That(json.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var verified = ProofVerifier.Verify(await json.Content.ReadAsByteArrayAsync(), publicKey);
        Assert.That(verified.Problems, Is.Empty);
        Assert.That((verified.Signed!.Proof.User.Username, verified.Signed.Proof.Version.Number, verified.Signed.Proof.Decision), Is.EqualTo(("ana", 1, "accepted")));
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith($"default-src 'none'; style-src {AcceptanceProofPage.StyleSource};"));
        var pageVerified = ProofVerifier.Verify(await page.Content.ReadAsByteArrayAsync(), publicKey);
        Assert.That((pageVerified.Problems, pageVerified.IsPage), Is.EqualTo((Array.Empty<string>(), true)));
    }

    [TestCase("?user=nobody", HttpStatusCode.NotFound, "Realm 'externos''s record knows no user 'nobody'")]
    [TestCase("?user=ana&version=7", HttpStatusCode.NotFound, "Realm 'externos''s privacy policy has no version 7.")]
    [TestCase("?user=ana&version=0", HttpStatusCode.BadRequest, "version is a version number, 1 or more.")]
    [TestCase("?user=ana&format=pdf", HttpStatusCode.BadRequest, "format is json or html.")]
    [TestCase("", HttpStatusCode.BadRequest, "user is a user id or username of 1 to 255 characters.")]
    public async Task Proof_NoProofToGive_IsAProblemSayingWhy(string query, HttpStatusCode status, string detail)
    {
        var admin = await AcceptedAsync();

        using var response = await admin.GetAsync(Proof + query);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(status), problem.ToString());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem.GetProperty("detail").GetString(), Does.StartWith(detail));
    }

    [Test]
    public async Task Proof_UserTheRecordDoesNotKnow_SaysTheApisNextStepAsTextAndCodesNeverACliCommand()
    {
        var admin = await AcceptedAsync();

        using var response = await admin.GetAsync(Proof + "?user=nobody");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), problem.ToString());
            Assert.That(problem.GetProperty("detail").GetString(), Does.EndWith(
                "no decision was recorded. The record may not hold the latest events yet: POST /api/admin/realms/externos/ledger/sync, then ask again."));
            Assert.That(problem.ToString(), Does.Not.Contain("idpbridge "));
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("not_found"));
            Assert.That(problem.GetProperty("nextStep").GetString(), Is.EqualTo("sync_record"));
        });
    }

    [Test]
    public async Task Proof_UserWhoDeclined_Is409()
    {
        var admin = await AcceptedAsync();
        realm.DeclineTerms(realm.AddUser("bob"));
        Assert.That((await admin.PostAsync("/api/admin/realms/externos/ledger/sync", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var response = await admin.GetAsync($"{Proof}?user=bob&version=1");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), problem.ToString());
        Assert.That(problem.GetProperty("detail").GetString(), Does.StartWith("User 'bob' declined privacy version 1 at"));
    }

    [Test]
    public async Task Proof_NoTokenOrNoAdminRole_Is401Or403()
    {
        await AcceptedAsync();
        var notAdmin = harness.AdminToken(new Dictionary<string, object?> { ["realm_access"] = new Dictionary<string, object?> { ["roles"] = new[] { "offline_access" } } });

        using var anonymous = await harness.Client().GetAsync($"{Proof}?user=ana");
        using var user = await harness.Client(notAdmin).GetAsync($"{Proof}?user=ana");

        Assert.That((anonymous.StatusCode, user.StatusCode), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden)));
    }

    private async Task<HttpClient> AcceptedAsync()
    {
        var admin = harness.Client(harness.AdminToken());
        using var published = await ServiceHarness.PublishAsync(admin, "v1");
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.Created), await published.Content.ReadAsStringAsync());
        realm.AcceptTerms(realm.AddUser("ana"));
        Assert.That((await admin.PostAsync("/api/admin/realms/externos/ledger/sync", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return admin;
    }
}
