using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace IdpBridge.Core.Ledger.Proof;

/// <summary>How proofs are written and read as JSON.</summary>
public static class ProofJson
{
    /// <summary>
    /// camelCase members, nulls written, and strict reading: every member present with its type, no member the
    /// document does not define.
    /// </summary>
    public static JsonSerializerOptions Options => ProofJsonContext.Default.Options;

    private static readonly JsonSerializerOptions PrettyOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The bytes a proof's signature covers: its JSON in <see cref="CanonicalJson"/> form.</summary>
    public static byte[] Canonical(AcceptanceProof proof) =>
        CanonicalJson.Serialize(JsonSerializer.SerializeToElement(proof, ProofJsonContext.Default.AcceptanceProof));

    /// <summary>A proof file's JSON: the signed document and its signature, indented, members in canonical order.</summary>
    public static string File(SignedAcceptanceProof signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var canonical = CanonicalJson.Serialize(JsonSerializer.SerializeToElement(signed, ProofJsonContext.Default.SignedAcceptanceProof));
        return JsonNode.Parse(canonical)!.ToJsonString(PrettyOptions) + "\n";
    }

    /// <summary>
    /// The same JSON for a page's <c>&lt;script type="application/json"&gt;</c>: one line, with <c>&lt;</c>, <c>&gt;</c>,
    /// <c>&amp;</c>, quotes and non-ASCII as <c>\u</c> escapes, so no text of the document can end the element.
    /// </summary>
    public static string ForScript(SignedAcceptanceProof signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var canonical = CanonicalJson.Serialize(JsonSerializer.SerializeToElement(signed, ProofJsonContext.Default.SignedAcceptanceProof));
        return JsonNode.Parse(canonical)!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.Default });
    }
}

/// <summary>The generated serializers of a proof, in <see cref="ProofJson.Options"/>' strict form.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(SignedAcceptanceProof))]
internal sealed partial class ProofJsonContext : JsonSerializerContext;
