using System.Text;
using System.Text.Json;
using IdpBridge.Core.Ledger.Proof;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger.Proof;

/// <summary>The canonical form a proof's signature covers: one byte string per value, whatever the source's formatting.</summary>
[TestFixture]
public sealed class CanonicalJsonTests
{
    [Test]
    public void Serialize_SortedMembersEscapesAndNoWhitespace_ExactBytes()
    {
        var bytes = Canonical("{ \"b\": [1, -20, true, false, null],\n \"a\": \"José \\\"x\\\" \\\\ \\n\\t\\u0001 </script>\", \"A\": {} }");

        Assert.That(Encoding.UTF8.GetString(bytes), Is.EqualTo("{\"A\":{},\"a\":\"José \\\"x\\\" \\\\ \\n\\t\\u0001 </script>\",\"b\":[1,-20,true,false,null]}"));
        Assert.That(bytes[..3], Is.Not.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "no byte-order mark");
        Assert.That(bytes.Count(b => b == 0xC3), Is.EqualTo(1), "é is its two UTF-8 bytes, not \\u00e9");
    }

    [Test]
    public void Serialize_SameValueWrittenOtherwise_SameBytes()
    {
        var first = Canonical("{\"name\":\"Pérez\",\"n\":5,\"list\":[{\"y\":1,\"x\":2}]}");
        var second = Canonical("{\n  \"list\" : [ { \"x\" : 2 , \"y\" : 1 } ],\n  \"n\" : 5,\n  \"name\" : \"P\\u00e9rez\"\n}");

        Assert.That(second, Is.EqualTo(first));
        Assert.That(Canonical(Encoding.UTF8.GetString(first)), Is.EqualTo(first), "the canonical form of canonical bytes is themselves");
    }

    [TestCase("{\"a\":1.5}", "1.5")]
    [TestCase("{\"a\":1e3}", "1e3")]
    [TestCase("{\"a\":1,\"a\":2}", "appears twice")]
    public void Serialize_OutsideTheSubset_IsRefused(string json, string message) =>
        Assert.That(() => Canonical(json), Throws.TypeOf<FormatException>().With.Message.Contains(message));

    private static byte[] Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        return CanonicalJson.Serialize(document.RootElement);
    }
}
