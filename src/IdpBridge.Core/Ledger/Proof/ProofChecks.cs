using System.Globalization;
using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Policies;

namespace IdpBridge.Core.Ledger.Proof;

/// <summary>
/// What a proof must say of itself, checked offline besides its signature: each text's SHA-256, the version's content
/// hash, the record hash recomputed from the proof's own fields (the encoding <c>ledger verify</c> uses,
/// <see cref="LedgerChain"/>) and the chain link from the previous chain hash.
/// </summary>
internal static class ProofChecks
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Every inconsistency of <paramref name="proof"/>, in words; empty when none.</summary>
    public static List<string> Check(AcceptanceProof proof)
    {
        var problems = new List<string>();
        var version = proof.Version;
        foreach (var text in version.Texts)
        {
            var actual = PolicyDocumentReader.Sha256Hex(text.Markdown);
            if (!string.Equals(actual, text.Sha256, StringComparison.Ordinal))
            {
                problems.Add($"the {text.Locale} text hashes to {actual}, the proof says {text.Sha256}");
            }
        }

        var contentHash = version.Texts.Count == 0 ? null
            : PolicyVersionBuilder.ContentHash(version.Texts.Select(text => new PolicyText(text.Locale, text.Title, text.Summary, text.Markdown, text.Sha256)));
        if (!string.Equals(contentHash, version.ContentHash, StringComparison.Ordinal))
        {
            problems.Add($"the version's texts hash to {contentHash ?? "nothing (no text)"}, the proof says {version.ContentHash}");
        }

        if (proof.Decision is not ("accepted" or "acknowledged"))
        {
            problems.Add($"the decision is '{proof.Decision}', not accepted or acknowledged");
        }

        // The encoding follows from the proof's own fields: /2 exactly when it names the locale shown.
        var encoding = LedgerChain.EncodingOf(proof.LocaleShown);
        if (!string.Equals(proof.Record.Encoding, encoding, StringComparison.Ordinal))
        {
            problems.Add($"the record hash encoding is '{proof.Record.Encoding}', not {encoding}");
        }

        if (Millis(proof.OccurredAt, "occurredAt", problems) is { } occurred && Millis(proof.Record.RecordedAt, "record.recordedAt", problems) is { } recorded)
        {
            var recordHash = LedgerChain.RecordHash(new ChainFields(
                proof.Realm, proof.Record.EventKey, proof.User.Id, proof.User.Username, version.Policy, version.Number, version.ContentHash,
                proof.Decision, occurred, proof.ClientId, proof.IpAddress, proof.Source, proof.KeycloakEventId, recorded, proof.LocaleShown));
            if (!string.Equals(recordHash, proof.Record.RecordHash, StringComparison.Ordinal))
            {
                problems.Add($"the record's fields hash to {recordHash}, the proof says {proof.Record.RecordHash}");
            }
        }

        var link = LedgerChain.Link(proof.Record.PreviousChainHash, proof.Record.RecordHash);
        if (!string.Equals(link, proof.Record.ChainHash, StringComparison.Ordinal))
        {
            problems.Add($"the previous chain hash and the record hash link to {link}, the proof says {proof.Record.ChainHash}");
        }

        if (!proof.ChainAtIssue.Intact)
        {
            problems.Add("the realm's chain was not intact when the proof was made");
        }

        return problems;
    }

    private static long? Millis(string text, string field, List<string> problems)
    {
        if (DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value.ToUnixTimeMilliseconds();
        }

        problems.Add($"{field} '{text}' is not an ISO-8601 UTC time with milliseconds");
        return null;
    }
}
