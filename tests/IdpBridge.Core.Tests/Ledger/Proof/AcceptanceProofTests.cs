using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IdpBridge.Core.Ledger;
using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Ledger.Proof;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using IdpBridge.Core.Tests.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger.Proof;

/// <summary>
/// Proofs issued from a real store (SQLite) and checked offline: valid as issued, invalid after any byte of the signed
/// document, the signature or the page changes, or against another key; refusals for a decline, an unknown user and an
/// altered record.
/// </summary>
[TestFixture]
public sealed class AcceptanceProofTests : StoreContract
{
    private static readonly DateTimeOffset V2Effective = T0.AddDays(10);
    private SqliteTestDatabases files = null!;
    private ProofTestKeys keys = null!;
    private ProofSigningKey key = null!;
    private AcceptanceProofIssuer issuer = null!;

    protected override ITestDatabases Databases => files;

    [OneTimeSetUp]
    public void CreateFolders()
    {
        files = new SqliteTestDatabases();
        keys = new ProofTestKeys();
    }

    [OneTimeTearDown]
    public void DeleteFolders()
    {
        files.Dispose();
        keys.Dispose();
    }

    [SetUp]
    public async Task PublishAndRecord()
    {
        var database = (IAdoDatabase)Database;
        var store = new AdoPolicyStore(database);
        var v1 = await PublishAsync(store, 1, T0, "# Privacidad\n\nSólo nombre, apellidos y correo.\n", "# Privacy\n\nOnly first name, last name and email.\n");
        var v2 = await PublishAsync(
            store, 2, V2Effective, "# Privacidad\n\nSólo nombre, apellidos y correo; <b>nada</b> más.\n", "# Privacy\n\nOnly name and email; nothing else.\n");
        await new AdoAcceptanceLedger(database).AppendAsync(
        [
            Record("k1", "u-ana", "ana", 1, v1, AcceptanceDecision.Accepted, T0.AddHours(1)),
            // Through the bridge, whose event names the page's language; the others as Keycloak's own step records them (no locale).
            Record("k2", "u-ana", "ana", 2, v2, AcceptanceDecision.Accepted, V2Effective.AddDays(1)) with { LocaleShown = "es" },
            Record("k3", "u-bob", "bob", 2, v2, AcceptanceDecision.Declined, V2Effective.AddDays(2)),
            Record("k4", "u-eva", "eva", 1, v1, AcceptanceDecision.Accepted, T0.AddHours(2)),
        ]);
        key = keys.CreateSigningKey();
        issuer = new AcceptanceProofIssuer(
            new AdoAcceptanceLedger(database), store, Microsoft.Extensions.Options.Options.Create(new PolicyOptions()),
            new LedgerVerifier(database), new ProofRecordReader(database), key,
            new FakeTimeProvider(T0.AddDays(30)));
    }

    [TearDown]
    public void DisposeKey() => key.Dispose();

    [Test]
    public async Task IssueAsync_LatestAcceptance_ProofHoldsTheRecordAndVerifiesAsJsonAndAsPage()
    {
        var issue = await issuer.IssueAsync(Realm, "ana", null);
        var proof = issue.Signed.Proof;

        Assert.That(issue.Chosen, Is.EqualTo("version 2, the latest material version in force, which the user accepted"));
        Assert.That((proof.User.Id, proof.User.Username, proof.Version.Number, proof.Decision, proof.Source), Is.EqualTo(("u-ana", "ana", 2, "accepted", "event")));
        Assert.That((proof.ClientId, proof.IpAddress, proof.OccurredAt), Is.EqualTo(("account", "192.0.2.7", "2025-03-12T12:00:00.123Z")));
        Assert.That(proof.Version.Texts.Select(text => (text.Locale, text.Markdown)), Is.EqualTo(new[]
        {
            ("es", "# Privacidad\n\nSólo nombre, apellidos y correo; <b>nada</b> más.\n"), ("en", "# Privacy\n\nOnly name and email; nothing else.\n"),
        }));
        Assert.That(proof.Record.RecordHash, Is.EqualTo(await StoredAsync("record_hash", "k2")));
        Assert.That(proof.Record.ChainHash, Is.EqualTo(await StoredAsync("chain_hash", "k2")));
        Assert.That(proof.Record.PreviousChainHash, Is.EqualTo(await StoredAsync("chain_hash", "k1")));
        Assert.That(proof.ChainAtIssue.HeadChainHash, Is.EqualTo((await new LedgerVerifier((IAdoDatabase)Database).VerifyAsync(Realm)).HeadChainHash));
        Assert.That(proof.KeyId, Is.EqualTo(key.KeyId));

        using var publicKey = ProofKeys.ReadPublic(key.PublicKeyPem())!;
        Assert.That(ProofVerifier.Verify(Encoding.UTF8.GetBytes(ProofJson.File(issue.Signed)), publicKey).Problems, Is.Empty);
        var page = ProofVerifier.Verify(Encoding.UTF8.GetBytes(AcceptanceProofPage.Render(issue.Signed)), publicKey);
        Assert.That((page.Problems, page.IsPage), Is.EqualTo((Array.Empty<string>(), true)));
    }

    [Test]
    public async Task Verify_AnyByteOfTheCanonicalDocumentChanged_Fails()
    {
        var signed = (await issuer.IssueAsync(Realm, "ana", 2)).Signed;
        var canonical = ProofJson.Canonical(signed.Proof);
        var signature = JsonSerializer.Serialize(signed.Signature, ProofJson.Options);
        using var publicKey = ProofKeys.ReadPublic(key.PublicKeyPem())!;
        Assert.That(ProofVerifier.Verify(File(canonical, signature), publicKey).Valid, Is.True, "the untouched document verifies");

        var accepted = new List<int>();
        for (var i = 0; i < canonical.Length; i++)
        {
            var changed = (byte[])canonical.Clone();
            changed[i] ^= 0x01;
            if (ProofVerifier.Verify(File(changed, signature), publicKey).Valid)
            {
                accepted.Add(i);
            }
        }

        Assert.That(canonical.Length, Is.GreaterThan(1500), "every field, both texts");
        Assert.That(accepted, Is.Empty, "offsets whose change still verified");
    }

    [Test]
    public async Task Verify_AnyByteOfTheSignatureChanged_Fails()
    {
        var signed = (await issuer.IssueAsync(Realm, "ana", 2)).Signed;
        var der = Convert.FromBase64String(signed.Signature.Value);
        using var publicKey = ProofKeys.ReadPublic(key.PublicKeyPem())!;

        var accepted = Enumerable.Range(0, der.Length).Where(i =>
        {
            var changed = (byte[])der.Clone();
            changed[i] ^= 0x80;
            var file = ProofJson.File(signed with { Signature = signed.Signature with { Value = Convert.ToBase64String(changed) } });
            return ProofVerifier.Verify(Encoding.UTF8.GetBytes(file), publicKey).Valid;
        }).ToList();

        Assert.That(accepted, Is.Empty);
    }

    [Test]
    public async Task Verify_PageWithAByteChangedAnywhere_Fails()
    {
        var page = Encoding.UTF8.GetBytes(AcceptanceProofPage.Render((await issuer.IssueAsync(Realm, "ana", 2)).Signed));
        using var publicKey = ProofKeys.ReadPublic(key.PublicKeyPem())!;

        // Every 11th byte: the head, each table of facts, both rendered texts and the embedded proof.
        var accepted = Enumerable.Range(0, page.Length).Where(i => i % 11 == 0).Where(i =>
        {
            var changed = (byte[])page.Clone();
            changed[i] ^= 0x01;
            return ProofVerifier.Verify(changed, publicKey).Valid;
        }).ToList();

        Assert.That(accepted, Is.Empty);
    }

    [Test]
    public async Task Verify_AnotherPublicKey_FailsNamingBothKeys()
    {
        var file = Encoding.UTF8.GetBytes(ProofJson.File((await issuer.IssueAsync(Realm, "ana", null)).Signed));
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = ProofVerifier.Verify(file, other);

        Assert.That(result.Problems, Is.EqualTo(new[]
        {
            $"the proof names signing key {key.KeyId}, but the public key given is {ProofKeys.KeyId(other)}",
            "the signature does not match the document: it was changed after signing, or signed by another key",
        }));
    }

    [Test]
    public async Task Verify_JsonReindented_StillValid()
    {
        var file = ProofJson.File((await issuer.IssueAsync(Realm, "ana", null)).Signed);
        using var document = JsonDocument.Parse(file);
        using var publicKey = ProofKeys.ReadPublic(key.PublicKeyPem())!;

        Assert.That(ProofVerifier.Verify(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(document.RootElement)), publicKey).Valid, Is.True,
            "what is signed is the values: a JSON file may be re-indented");
    }

    [Test]
    public async Task IssueAsync_RecordNamingTheLocaleShown_ProofSaysItUnderEncoding2AndThePageShowsIt()
    {
        var signed = (await issuer.IssueAsync(Realm, "ana", 2)).Signed;
        var page = AcceptanceProofPage.Render(signed);

        Assert.That((signed.Proof.LocaleShown, signed.Proof.Record.Encoding), Is.EqualTo(("es", "idpbridge-acceptance/2")));
        Assert.That(page, Does.Contain("<th>Language shown</th><td>es <span class=\"muted\">(the language IdpBridge's terms step rendered the page in"));
        Assert.That(ProofJson.File(signed), Does.Contain("\"localeShown\": \"es\""));
    }

    [Test]
    public async Task IssueAsync_RecordWithoutLocale_ProofSaysNullUnderEncoding1AndThePageExplains()
    {
        var signed = (await issuer.IssueAsync(Realm, "eva", 1)).Signed;
        using var publicKey = ProofKeys.ReadPublic(key.PublicKeyPem())!;

        Assert.That((signed.Proof.LocaleShown, signed.Proof.Record.Encoding), Is.EqualTo(((string?)null, "idpbridge-acceptance/1")));
        Assert.That(AcceptanceProofPage.Render(signed), Does.Contain(
            "<th>Language shown</th><td>not recorded (Keycloak's own terms step and its events do not say): every language's text in force follows"));
        Assert.That(ProofVerifier.Verify(Encoding.UTF8.GetBytes(ProofJson.File(signed)), publicKey).Problems, Is.Empty);
    }

    [TestCase("en", TestName = "Verify_LocaleShownChangedAndResigned_FailsOnTheRecordHash")]
    [TestCase(null, TestName = "Verify_LocaleShownRemovedAndResigned_FailsOnTheEncoding")]
    public async Task Verify_LocaleShownRewrittenAndResignedWithTheKey_FailsOnTheRecord(string? locale)
    {
        // Even the key's holder cannot make a proof say another language: the locale is in the chained record hash.
        var signed = (await issuer.IssueAsync(Realm, "ana", 2)).Signed;
        var forged = signed.Proof with { LocaleShown = locale };
        var resigned = new SignedAcceptanceProof(forged, signed.Signature with { Value = Convert.ToBase64String(key.Sign(ProofJson.Canonical(forged))) });
        using var publicKey = ProofKeys.ReadPublic(key.PublicKeyPem())!;

        var problems = ProofVerifier.Verify(Encoding.UTF8.GetBytes(ProofJson.File(resigned)), publicKey).Problems;

        Assert.That(problems, Has.Some.Contains(locale is null ? "not idpbridge-acceptance/1" : "the record's fields hash to"));
    }

    [Test]
    public async Task IssueAsync_UserWhoAcceptedOnlyAnOlderVersion_ProvesItAndSaysWhich()
    {
        var issue = await issuer.IssueAsync(Realm, "u-eva", null);

        Assert.That(issue.Signed.Proof.Version.Number, Is.EqualTo(1));
        Assert.That(issue.Chosen, Is.EqualTo("version 1, the latest material version the user accepted (version 2 is in force and the user has not accepted it)"));
    }

    [TestCase("bob", 2, ProofRefusal.NotAccepted, ProofNextStep.None, "User 'bob' declined privacy version 2 at 2025-03-13T12:00:00.123Z")]
    [TestCase("bob", null, ProofRefusal.NotAccepted, ProofNextStep.None, "User 'bob' has accepted no material version in force (v2, v1)")]
    [TestCase("eva", 2, ProofRefusal.NotAccepted, ProofNextStep.SyncRecord, "User 'eva' has no recorded decision on privacy version 2")]
    [TestCase("nobody", null, ProofRefusal.NotFound, ProofNextStep.SyncRecord, "Realm 'externos''s record knows no user 'nobody'")]
    [TestCase("ana", 3, ProofRefusal.NotFound, ProofNextStep.None, "Realm 'externos''s privacy policy has no version 3.")]
    public void IssueAsync_NoAcceptance_IsRefusedWithTheReasonAndTheNextStepNoCommand(
        string user, int? version, ProofRefusal refusal, ProofNextStep next, string message) =>
        Assert.That(() => issuer.IssueAsync(Realm, user, version),
            Throws.TypeOf<ProofRefusedException>()
                .With.Property(nameof(ProofRefusedException.Refusal)).EqualTo(refusal)
                .And.Property(nameof(ProofRefusedException.NextStep)).EqualTo(next)
                .And.Property(nameof(ProofRefusedException.Realm)).EqualTo(Realm)
                .And.Message.StartsWith(message).And.Message.Not.Contains("idpbridge"));

    [Test]
    public async Task IssueAsync_RecordAlteredWithTheGuardsOff_IsRefused()
    {
        await StoreSql.ScalarAsync(Database, "DROP TRIGGER acceptances_immutable_update");
        await StoreSql.ScalarAsync(Database, "UPDATE acceptances SET ip_address = '203.0.113.9' WHERE event_key = 'k1'");

        Assert.That(() => issuer.IssueAsync(Realm, "ana", 2),
            Throws.TypeOf<ProofRefusedException>().With.Property(nameof(ProofRefusedException.Refusal)).EqualTo(ProofRefusal.NotProvable)
                .And.Property(nameof(ProofRefusedException.NextStep)).EqualTo(ProofNextStep.VerifyRecord)
                .And.Message.Contains("The integrity check finds 1 problems"));
    }

    private static byte[] File(byte[] canonicalProof, string signatureJson) =>
        [.. Encoding.UTF8.GetBytes("{\"proof\":"), .. canonicalProof, .. Encoding.UTF8.GetBytes($",\"signature\":{signatureJson}}}")];

    private async Task<string> StoredAsync(string column, string eventKey)
    {
        await using var connection = await ((IAdoDatabase)Database).OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {column} FROM acceptances WHERE event_key = '{eventKey}'";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string> PublishAsync(AdoPolicyStore store, int number, DateTimeOffset effective, string spanish, string english)
    {
        PolicyText[] texts =
        [
            new("es", "Política de privacidad", number > 1 ? "Aclara qué datos." : null, spanish, PolicyDocumentReader.Sha256Hex(spanish)),
            new("en", "Privacy policy", number > 1 ? "Says which data." : null, english, PolicyDocumentReader.Sha256Hex(english)),
        ];
        var hash = PolicyVersionBuilder.ContentHash(texts);
        await store.AddAsync(new PolicyVersion(Realm, Policy, 0, PolicyVersionKind.Material, effective, effective, hash, texts));
        return hash;
    }

    private static AcceptanceRecord Record(string key, string userId, string username, int version, string hash, AcceptanceDecision decision, DateTimeOffset at) =>
        new(Realm, userId, username, Policy, version, hash, decision, at, "account", "192.0.2.7", AcceptanceSource.Event, key, $"event-{key}")
        {
            RecordedAt = at.AddMinutes(1),
        };
}
