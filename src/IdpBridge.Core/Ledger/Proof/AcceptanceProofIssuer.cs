using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Policies;
using Microsoft.Extensions.Options;

namespace IdpBridge.Core.Ledger.Proof;

/// <summary>A proof issued, and which version was chosen and why (for the person who asked).</summary>
/// <param name="Signed">The signed proof.</param>
/// <param name="Chosen">The version proved and why it was chosen, in words.</param>
public sealed record ProofIssue(SignedAcceptanceProof Signed, string Chosen);

/// <summary>
/// Makes the signed proof that one user accepted one version of the terms policy, from the store alone: the user's
/// latest decision on that version must be an acceptance (or a notice's acknowledgement), its record chained, and the
/// realm's record intact by <see cref="LedgerVerifier"/>; otherwise <see cref="ProofRefusedException"/> says why.
/// </summary>
public sealed class AcceptanceProofIssuer
{
    private readonly IAcceptanceLedger ledger;
    private readonly IPolicyStore policies;
    private readonly IOptions<PolicyOptions> policyOptions;
    private readonly LedgerVerifier verifier;
    private readonly ProofRecordReader hashes;
    private readonly ProofSigningKey key;
    private readonly TimeProvider time;

    internal AcceptanceProofIssuer(
        IAcceptanceLedger ledger, IPolicyStore policies, IOptions<PolicyOptions> policyOptions, LedgerVerifier verifier, ProofRecordReader hashes,
        ProofSigningKey key, TimeProvider time)
    {
        this.ledger = ledger;
        this.policies = policies;
        this.policyOptions = policyOptions;
        this.verifier = verifier;
        this.hashes = hashes;
        this.key = key;
        this.time = time;
    }

    /// <summary>
    /// The proof for <paramref name="user"/> (id or username) of <paramref name="realm"/>: of version
    /// <paramref name="version"/>, or by default of the latest material version in force the user accepted.
    /// </summary>
    public async Task<ProofIssue> IssueAsync(string realm, string user, int? version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realm);
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var keyId = key.KeyId;
        var policy = policyOptions.Value.TermsPolicy;
        var records = await UserRecordsAsync(realm, user, policy, cancellationToken).ConfigureAwait(false);
        var versions = await policies.ListAsync(realm, policy, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var (chosen, why) = version is { } number ? (Find(versions, number, realm, policy), $"version {number}, as asked") : Default(records, versions, now, realm, user);
        var decisions = records.Where(record => record.VersionNumber == chosen.Number).ToList();
        if (decisions.Count == 0)
        {
            throw new ProofRefusedException(ProofRefusal.NotAccepted, realm,
                $"User '{user}' has no recorded decision on {policy} version {chosen.Number} in realm '{realm}': no proof of acceptance.",
                ProofNextStep.SyncRecord);
        }

        var record = decisions[^1];
        if (record.Decision == AcceptanceDecision.Declined)
        {
            throw new ProofRefusedException(ProofRefusal.NotAccepted, realm,
                $"User '{user}' declined {policy} version {chosen.Number} at {LedgerExport.Time(record.OccurredAt)} "
                + $"(their latest decision on it, record {record.Id}): no proof of acceptance.");
        }

        if (!string.Equals(record.ContentHash, chosen.ContentHash, StringComparison.Ordinal))
        {
            throw new ProofRefusedException(ProofRefusal.NotProvable, realm,
                $"Record {record.Id} names {policy} version {chosen.Number} with hash {record.ContentHash}, but that version's hash is {chosen.ContentHash}.",
                ProofNextStep.VerifyRecord);
        }

        var stored = await hashes.ReadAsync(realm, record.Id, cancellationToken).ConfigureAwait(false);
        if (stored is not { RecordHash: { } recordHash, ChainHash: { } chainHash })
        {
            throw new ProofRefusedException(ProofRefusal.NotProvable, realm,
                $"Record {record.Id} was written before the ledger's hash chain (schema version 7): it cannot be proved.");
        }

        var chain = await verifier.VerifyAsync(realm, cancellationToken).ConfigureAwait(false);
        if (!chain.Intact)
        {
            throw new ProofRefusedException(ProofRefusal.NotProvable, realm,
                $"The integrity check finds {chain.Tampering.Count} problems in realm '{realm}''s record: no proof is issued from an altered record.",
                ProofNextStep.VerifyRecord);
        }

        var proof = new AcceptanceProof(
            AcceptanceProof.TypeName, keyId, LedgerExport.Time(now), realm, new ProofUser(record.UserId, record.Username),
            new ProofVersion(policy, chosen.Number, chosen.Kind.Name(), LedgerExport.Time(chosen.PublishedAt), LedgerExport.Time(chosen.EffectiveAt), chosen.ContentHash,
                [.. chosen.Texts.Select(text => new ProofText(text.Locale, text.Title, text.Summary, text.Markdown, text.Sha256))]),
            record.LocaleShown,
            AdoAcceptanceLedger.DecisionToDatabase(record.Decision),
            LedgerExport.Time(record.OccurredAt),
            AdoAcceptanceLedger.SourceToDatabase(record.Source),
            SourceMeaning(record.Source),
            record.ClientId, record.IpAddress, record.KeycloakEventId,
            new ProofRecord(
                record.Id, record.EventKey, LedgerExport.Time(record.RecordedAt), LedgerChain.EncodingOf(record.LocaleShown), recordHash, stored.PreviousChainHash, chainHash),
            new ProofChain(chain.Intact, chain.Records, chain.HeadId, chain.HeadChainHash));
        var signature = Convert.ToBase64String(key.Sign(ProofJson.Canonical(proof)));
        return new ProofIssue(new SignedAcceptanceProof(proof, new ProofSignature(ProofKeys.Algorithm, signature)), why);
    }

    /// <summary>What each source means, as a proof says it.</summary>
    public static string SourceMeaning(AcceptanceSource source) => source switch
    {
        AcceptanceSource.Event =>
            "a Keycloak event of the terms step (CUSTOM_REQUIRED_ACTION): IdpBridge's bridge names the exact version and hash it showed; "
            + "Keycloak's own TERMS_AND_CONDITIONS step names none, and the version is the one in force at the event's time",
        AcceptanceSource.Registration => "a Keycloak REGISTER event of a realm whose registration form carries the terms checkbox; the version is the one in force at its time",
        AcceptanceSource.Timestamp =>
            "the acceptance time Keycloak keeps (terms_and_conditions, to the second) where no event was stored; "
            + "the version is the one in force then; client and address are unknown",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown source."),
    };

    private async Task<List<AcceptanceRecord>> UserRecordsAsync(string realm, string user, string policy, CancellationToken cancellationToken)
    {
        var records = await ledger.ReadAsync(new LedgerQuery { Realm = realm, User = user }, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        // An id beats a username; a username held by several users over time (renamed, deleted and re-registered) is ambiguous.
        var byId = records.Where(record => record.UserId == user).ToList();
        var mine = byId.Count > 0 ? byId : records;
        var ids = mine.Select(record => record.UserId).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            throw new ProofRefusedException(ProofRefusal.NotFound, realm,
                $"Realm '{realm}''s record knows no user '{user}' (by id or username): no decision was recorded.", ProofNextStep.SyncRecord);
        }

        if (ids.Count > 1)
        {
            throw new ProofRefusedException(ProofRefusal.NotFound, realm,
                $"The username '{user}' was held by {ids.Count} users of realm '{realm}' ({string.Join(", ", ids)}).", ProofNextStep.GiveUserId);
        }

        return [.. mine.Where(record => record.Policy == policy && record.VersionNumber is not null)];
    }

    private static PolicyVersion Find(IReadOnlyList<PolicyVersion> versions, int number, string realm, string policy) =>
        versions.FirstOrDefault(version => version.Number == number)
        ?? throw new ProofRefusedException(ProofRefusal.NotFound, realm, $"Realm '{realm}''s {policy} policy has no version {number}.");

    private static (PolicyVersion Version, string Why) Default(
        List<AcceptanceRecord> records, IReadOnlyList<PolicyVersion> versions, DateTimeOffset now, string realm, string user)
    {
        var inForce = versions.Where(version => version.Kind == PolicyVersionKind.Material && version.EffectiveAt <= now).OrderByDescending(version => version.Number).ToList();
        var accepted = inForce.FirstOrDefault(version => records.Any(record => record.VersionNumber == version.Number && record.Decision == AcceptanceDecision.Accepted));
        if (accepted is null)
        {
            throw new ProofRefusedException(ProofRefusal.NotAccepted, realm,
                $"User '{user}' has accepted no material version in force "
                + $"({(inForce.Count == 0 ? "none is in force" : string.Join(", ", inForce.Select(version => $"v{version.Number}")))}): no proof of acceptance.");
        }

        var latest = inForce[0];
        return (accepted, latest.Number == accepted.Number
            ? $"version {accepted.Number}, the latest material version in force, which the user accepted"
            : $"version {accepted.Number}, the latest material version the user accepted (version {latest.Number} is in force and the user has not accepted it)");
    }
}
