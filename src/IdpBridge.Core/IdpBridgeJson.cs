using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdpBridge.Core;

/// <summary>
/// The one set of JSON settings of what IdpBridge writes for people and programs: the CLI's <c>--output json</c> and
/// the admin API. camelCase names, enums as snake_case words (<c>"kind": "material"</c>, not a number a reader must
/// look up), times as ISO-8601 UTC (<c>2026-05-01T08:00:00.0000000Z</c>).
/// </summary>
public static class IdpBridgeJson
{
    /// <summary>The settings (compact).</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Adds IdpBridge's converters to <paramref name="options"/> (the web defaults are assumed); returns it.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new UtcTimeConverter());
        return options;
    }

    /// <summary>Writes every time in UTC with a <c>Z</c>, whatever offset it carries; reads ISO-8601 as the default converter does.</summary>
    private sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
    }
}
