using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using IdpBridge.Core.Audit;
using IdpBridge.Core.Doctor;
using IdpBridge.Core.Ledger;
using IdpBridge.Core.Ledger.Proof;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Realms;
using IdpBridge.Core.Rollouts;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.Http;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Core;

/// <summary>
/// The one set of JSON settings of what IdpBridge writes for people and programs: the CLI's <c>--output json</c> and
/// the admin API. camelCase names, enums as snake_case words (<c>"kind": "material"</c>, not a number a reader must
/// look up), times as ISO-8601 UTC (<c>2026-05-01T08:00:00.0000000Z</c>). What IdpBridge.Core writes itself goes
/// through serializers generated at build time (<see cref="IdpBridgeJsonContext"/>), so that the CLI runs as a
/// native binary; the CLI's context does the same for its outputs.
/// </summary>
public static class IdpBridgeJson
{
    /// <summary>The settings (compact), resolving only the types of <see cref="IdpBridgeJsonContext"/>.</summary>
    public static JsonSerializerOptions Options { get; } =
        Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = IdpBridgeJsonContext.Default });

    /// <summary>The generated serializer of <typeparamref name="T"/> under <see cref="Options"/>, with IdpBridge's converters.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    /// <summary>Adds IdpBridge's converters to <paramref name="options"/> (the web defaults are assumed); returns it.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var converter in EnumConverters())
        {
            options.Converters.Add(converter);
        }

        options.Converters.Add(new UtcTimeConverter());
        return options;
    }

    /// <summary>
    /// Every enum IdpBridge writes, each with its own converter: the generic one needs no code made at run time,
    /// which a native binary cannot do (the single <c>JsonStringEnumConverter</c> for all enums does). An enum missing
    /// here is written as a number; the CLI tests (<c>GeneratedJsonTests</c>) find every enum the outputs reach and check each is a word.
    /// </summary>
    private static IEnumerable<JsonConverter> EnumConverters() =>
    [
        SnakeCase<AcceptanceDecision>(), SnakeCase<AcceptanceSource>(), SnakeCase<AuditSeverity>(), SnakeCase<ChangeKind>(),
        SnakeCase<CheckpointResult>(), SnakeCase<ClientScopeKind>(), SnakeCase<DoctorStatus>(), SnakeCase<EventsQueryMode>(),
        SnakeCase<ExemptionOutcome>(), SnakeCase<IdpBridgeFeature>(), SnakeCase<InFlightMode>(), SnakeCase<LedgerExportFormat>(),
        SnakeCase<PolicyVersionKind>(), SnakeCase<ProofNextStep>(), SnakeCase<ProofRefusal>(), SnakeCase<RealmReferenceKind>(),
        SnakeCase<RequiredActionChange>(), SnakeCase<RolloutPhase>(), SnakeCase<RolloutRefusal>(), SnakeCase<RolloutStatus>(),
        SnakeCase<RolloutUserKind>(), SnakeCase<RunEnd>(), SnakeCase<StorageProvider>(), SnakeCase<StoredAttributeVisibility>(),
        SnakeCase<ThrottleReason>(), SnakeCase<UserOutcome>(),
    ];

    private static JsonStringEnumConverter<T> SnakeCase<T>()
        where T : struct, Enum => new(JsonNamingPolicy.SnakeCaseLower);

    /// <summary>Writes every time in UTC with a <c>Z</c>, whatever offset it carries; reads ISO-8601 as the default converter does.</summary>
    private sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
    }
}
