using IdpBridge.Core.Ledger.Integrity;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

/// <summary>
/// The record hash's encoding, held to hashes computed by hand from its documented form (SHA-256 of the encoding line,
/// a newline, then each field as <c>~</c> or <c>length:value</c>): a record without a locale hashes as it did before
/// schema 10 (<c>idpbridge-acceptance/1</c>), one with a locale under <c>idpbridge-acceptance/2</c>.
/// </summary>
public sealed class LedgerChainTests
{
    /// <summary>The /1 hash of <see cref="Fields"/> without a locale (Python's hashlib over the documented text).</summary>
    internal const string GoldenWithoutLocale = "b7aa8778f3b9ba0030bcac6d7507e42dd65fc7e5ae2102c5984f67b1781caea5";

    /// <summary>The /2 hash of <see cref="Fields"/> with the locale <c>es</c>.</summary>
    internal const string GoldenWithLocaleEs = "7f15a7eee509c71612bf2fe471c98f11d9b5c2c4ad1cd763c8da0981e9080639";

    // 2025-03-01T12:00:00.123Z, the store contracts' T0.
    private static ChainFields Fields(string? locale) => new(
        "externos", "k1", "u1", "ana", "privacy", 1, new string('a', 64), "accepted", 1740830400123, "account", "192.0.2.7", "event", null, 1740830400123, locale);

    [Test]
    public void RecordHash_NoLocale_IsTheEncodingOfBeforeSchema10() =>
        Assert.That((LedgerChain.RecordHash(Fields(null)), LedgerChain.EncodingOf(null)), Is.EqualTo((GoldenWithoutLocale, "idpbridge-acceptance/1")));

    [Test]
    public void RecordHash_WithLocale_IsEncoding2WithTheLocaleLast() =>
        Assert.That((LedgerChain.RecordHash(Fields("es")), LedgerChain.EncodingOf("es")), Is.EqualTo((GoldenWithLocaleEs, "idpbridge-acceptance/2")));

    [Test]
    public void RecordHash_AnotherLocale_AnotherHash() =>
        Assert.That(LedgerChain.RecordHash(Fields("en")), Is.Not.EqualTo(GoldenWithLocaleEs).And.Not.EqualTo(GoldenWithoutLocale));
}
