namespace IdpBridge.Core.Ledger.Proof;

/// <summary>
/// The signed statement that one user accepted (or acknowledged) one policy version: who, which text, when and how it
/// was learned, from where, and where the record sits in the realm's hash chain. Its JSON (camelCase members, times
/// ISO-8601 UTC with milliseconds) is what the signature covers, in <see cref="CanonicalJson"/> form.
/// </summary>
/// <param name="Type">Always <see cref="TypeName"/>.</param>
/// <param name="KeyId">The signing key's id (<see cref="ProofKeys.KeyId"/>).</param>
/// <param name="IssuedAt">When the proof was made.</param>
/// <param name="Realm">The Keycloak realm.</param>
/// <param name="User">Who.</param>
/// <param name="Version">Which version, with its exact text per locale.</param>
/// <param name="LocaleShown">
/// The language the user was shown the terms page in (a BCP 47 tag), as the record holds it: IdpBridge's bridge names
/// it in its event. Null for a decision taken in Keycloak's own terms step, the registration checkbox or learned from a
/// timestamp (Keycloak's events, 26.7.3, carry no locale), and for a record written before the ledger kept it; every
/// locale's text in force is given either way. Covered by the record hash when present (encoding
/// <c>idpbridge-acceptance/2</c>).
/// </param>
/// <param name="Decision"><c>accepted</c> or <c>acknowledged</c> (a notice).</param>
/// <param name="OccurredAt">When, as the record holds it.</param>
/// <param name="Source">How IdpBridge learned it, as the record holds it: <c>event</c>, <c>registration</c> or <c>timestamp</c>.</param>
/// <param name="SourceMeaning">What <paramref name="Source"/> means, in words.</param>
/// <param name="ClientId">The Keycloak client; null when unknown.</param>
/// <param name="IpAddress">The address Keycloak saw; null when unknown.</param>
/// <param name="KeycloakEventId">Keycloak's event id (26.4+); null otherwise.</param>
/// <param name="Record">The record and its place in the chain.</param>
/// <param name="ChainAtIssue">What <c>ledger verify</c> found for the realm when the proof was made.</param>
public sealed record AcceptanceProof(
    string Type,
    string KeyId,
    string IssuedAt,
    string Realm,
    ProofUser User,
    ProofVersion Version,
    string? LocaleShown,
    string Decision,
    string OccurredAt,
    string Source,
    string SourceMeaning,
    string? ClientId,
    string? IpAddress,
    string? KeycloakEventId,
    ProofRecord Record,
    ProofChain ChainAtIssue)
{
    /// <summary>The document type and its version.</summary>
    public const string TypeName = "idpbridge-acceptance-proof/1";
}

/// <summary>Who decided.</summary>
/// <param name="Id">Keycloak's user id.</param>
/// <param name="Username">The username when the decision was recorded; null when the user was already deleted.</param>
public sealed record ProofUser(string Id, string? Username);

/// <summary>The policy version decided on.</summary>
/// <param name="Policy">The policy's name.</param>
/// <param name="Number">The version number.</param>
/// <param name="Kind"><c>material</c>, <c>minor</c> or <c>notice</c>.</param>
/// <param name="PublishedAt">When it was published.</param>
/// <param name="EffectiveAt">When it took effect.</param>
/// <param name="ContentHash">Its content hash as the versions store holds it (SHA-256 over the sorted <c>locale:sha256</c> lines).</param>
/// <param name="Texts">Its text per locale, the realm's default first.</param>
public sealed record ProofVersion(string Policy, int Number, string Kind, string PublishedAt, string EffectiveAt, string ContentHash, IReadOnlyList<ProofText> Texts);

/// <summary>One locale's exact text.</summary>
/// <param name="Locale">The locale.</param>
/// <param name="Title">The document's title.</param>
/// <param name="Summary">What changed, as published; null when nothing was said.</param>
/// <param name="Markdown">The text users were shown, Markdown.</param>
/// <param name="Sha256">SHA-256 of <paramref name="Markdown"/> in UTF-8, as the store holds it.</param>
public sealed record ProofText(string Locale, string Title, string? Summary, string Markdown, string Sha256);

/// <summary>
/// The record in the realm's hash chain (<c>ledger verify</c>): its id, the fields only the record holds, its record
/// hash, the chain hash before it and its own chain hash (SHA-256 of the previous chain hash and the record hash).
/// </summary>
/// <param name="Id">The record's id in the database.</param>
/// <param name="EventKey">Its de-duplication key.</param>
/// <param name="RecordedAt">When IdpBridge stored it.</param>
/// <param name="Encoding">
/// How the record hash encodes the fields: <c>idpbridge-acceptance/1</c>, or <c>idpbridge-acceptance/2</c> when the
/// record names the locale shown (the same fields, then the locale).
/// </param>
/// <param name="RecordHash">SHA-256 of the record's fields.</param>
/// <param name="PreviousChainHash">The chain hash it links to (the realm's previous record's, a prune's anchor, or 64 zeros).</param>
/// <param name="ChainHash">Its chain hash.</param>
public sealed record ProofRecord(long Id, string EventKey, string RecordedAt, string Encoding, string RecordHash, string PreviousChainHash, string ChainHash);

/// <summary>The realm's chain when the proof was made.</summary>
/// <param name="Intact">Always true: no proof is issued from a record <c>ledger verify</c> finds altered.</param>
/// <param name="Records">Records chained.</param>
/// <param name="HeadId">The newest chained record's id.</param>
/// <param name="HeadChainHash">The chain's head: a later <c>ledger verify</c> that prints a head it chains to shows this record unchanged.</param>
public sealed record ProofChain(bool Intact, long Records, long? HeadId, string HeadChainHash);

/// <summary>A proof and its detached signature, as a proof file holds them.</summary>
/// <param name="Proof">The document.</param>
/// <param name="Signature">The signature over its canonical bytes.</param>
public sealed record SignedAcceptanceProof(AcceptanceProof Proof, ProofSignature Signature);

/// <summary>A detached signature.</summary>
/// <param name="Algorithm"><see cref="ProofKeys.Algorithm"/>.</param>
/// <param name="Value">The DER signature, base64.</param>
public sealed record ProofSignature(string Algorithm, string Value);
