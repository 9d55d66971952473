using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IdpBridge.Core.Ledger.Integrity;

/// <summary>
/// The fields of one acceptance record exactly as stored: text as text, times as UTC unix milliseconds. What the
/// record hash covers, read back the same from either database (and by anyone re-implementing the check).
/// </summary>
internal sealed record ChainFields(
    string Realm,
    string EventKey,
    string UserId,
    string? Username,
    string Policy,
    int? VersionNumber,
    string? ContentHash,
    string Decision,
    long OccurredAtMs,
    string? ClientId,
    string? IpAddress,
    string Source,
    string? KeycloakEventId,
    long RecordedAtMs,
    string? LocaleShown = null);

/// <summary>
/// The hash chain over a realm's acceptance records, in the order of the database's own ids (the same on every
/// replica). <c>record_hash</c> = lower-case hex SHA-256 of the canonical encoding: the UTF-8 line
/// <c>idpbridge-acceptance/1</c> and a newline, then each field of <see cref="ChainFields"/> up to
/// <c>RecordedAtMs</c> in order as <c>~</c> when null or <c>&lt;UTF-8 byte length&gt;:&lt;value&gt;</c> (numbers in
/// decimal). A record that names the locale shown (schema 10 on) is encoded <c>idpbridge-acceptance/2</c>: the same
/// fields, then the locale as one more; one without it keeps the <c>/1</c> encoding, so the hash of every record
/// written before the locale existed, and of every record without one since, is what it always was. <c>chain_hash</c> =
/// lower-case hex SHA-256 of the ASCII text <c>previous chain_hash</c> + <c>record_hash</c>, the previous one being
/// the realm's preceding record's, or the anchor its last prune kept, or <see cref="Genesis"/> for the first.
/// Changing, removing or reordering one record breaks every later link unless all of them are recomputed, which
/// comparing the head (<c>ledger verify</c> prints it) with a copy kept elsewhere reveals.
/// </summary>
internal static class LedgerChain
{
    /// <summary>What the realm's first record chains from: 64 zeros.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The advisory lock class appends and prunes of a realm hold on PostgreSQL (the key is <c>hashtext(realm)</c>).</summary>
    public const int PostgresLockClass = 0x4C47;

    /// <summary>The record hash of <paramref name="fields"/>.</summary>
    public static string RecordHash(ChainFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var text = new StringBuilder(EncodingOf(fields.LocaleShown)).Append('\n');
        Field(text, fields.Realm);
        Field(text, fields.EventKey);
        Field(text, fields.UserId);
        Field(text, fields.Username);
        Field(text, fields.Policy);
        Field(text, fields.VersionNumber?.ToString(CultureInfo.InvariantCulture));
        Field(text, fields.ContentHash);
        Field(text, fields.Decision);
        Field(text, fields.OccurredAtMs.ToString(CultureInfo.InvariantCulture));
        Field(text, fields.ClientId);
        Field(text, fields.IpAddress);
        Field(text, fields.Source);
        Field(text, fields.KeycloakEventId);
        Field(text, fields.RecordedAtMs.ToString(CultureInfo.InvariantCulture));
        if (fields.LocaleShown is not null)
        {
            Field(text, fields.LocaleShown);
        }

        return Hex(text.ToString());
    }

    /// <summary>The encoding without the locale shown: every record before schema 10, and every one without a locale since.</summary>
    public const string EncodingWithoutLocale = "idpbridge-acceptance/1";

    /// <summary>The encoding of a record that names the locale shown: the fields of <see cref="EncodingWithoutLocale"/>, then the locale.</summary>
    public const string EncodingWithLocale = "idpbridge-acceptance/2";

    /// <summary>The encoding (the first line of the hashed text) of a record with or without <paramref name="localeShown"/>.</summary>
    public static string EncodingOf(string? localeShown) => localeShown is null ? EncodingWithoutLocale : EncodingWithLocale;

    /// <summary>The chain hash of a record whose record hash is <paramref name="recordHash"/>, after <paramref name="previous"/>.</summary>
    public static string Link(string previous, string recordHash) => Hex(previous + recordHash);

    /// <summary>The chain fields of a record about to be stored (times truncated to the millisecond, as stored).</summary>
    public static ChainFields Of(AcceptanceRecord record) => new(
        record.Realm,
        record.EventKey,
        record.UserId,
        record.Username,
        record.Policy,
        record.VersionNumber,
        record.ContentHash,
        AdoAcceptanceLedger.DecisionToDatabase(record.Decision),
        record.OccurredAt.ToUnixTimeMilliseconds(),
        record.ClientId,
        record.IpAddress,
        AdoAcceptanceLedger.SourceToDatabase(record.Source),
        record.KeycloakEventId,
        record.RecordedAt.ToUnixTimeMilliseconds(),
        record.LocaleShown);

    /// <summary>
    /// The latest chain hash of <c>@realm</c>: its newest chained record's, else the anchor of its latest prune, else
    /// null (the caller starts from <see cref="Genesis"/>).
    /// </summary>
    public const string HeadSql =
        "SELECT coalesce(" +
        "(SELECT chain_hash FROM acceptances WHERE realm = @realm AND chain_hash IS NOT NULL ORDER BY id DESC LIMIT 1), " +
        "(SELECT chain_hash FROM ledger_prunes WHERE realm = @realm AND chain_hash IS NOT NULL ORDER BY through_id DESC LIMIT 1))";

    private static void Field(StringBuilder text, string? value)
    {
        if (value is null)
        {
            text.Append('~');
            return;
        }

        text.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
    }

    private static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
