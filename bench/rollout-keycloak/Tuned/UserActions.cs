using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Tuned;

/// <summary>A user's id and required actions, and the minimal PUT body that sets them.</summary>
internal sealed record UserActions(string Id, string[] Actions)
{
    public const string Terms = "TERMS_AND_CONDITIONS";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static UserActions From(JsonElement user) => new(user.GetProperty("id").GetString()!, ActionsOf(user));

    public static string[] ActionsOf(JsonElement user) =>
        user.TryGetProperty("requiredActions", out var actions) ? [.. actions.EnumerateArray().Select(action => action.GetString()!)] : [];

    /// <summary><c>{"requiredActions":[...]}</c>: all IdpBridge sends.</summary>
    public static ByteArrayContent Body(IEnumerable<string> actions)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("requiredActions");
            foreach (var action in actions)
            {
                writer.WriteStringValue(action);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.ContentType = Json;
        return content;
    }

    /// <summary>One page of full representations (as IdpBridge's scan reads them).</summary>
    public static async Task<List<UserActions>> PageAsync(AdminSession session, string realm, int first, int max)
    {
        using var page = await session.GetJsonAsync($"{Uri.EscapeDataString(realm)}/users?briefRepresentation=false&first={first}&max={max}");
        return [.. page.RootElement.EnumerateArray().Select(From)];
    }

    public static string UserPath(string realm, string id) => $"{Uri.EscapeDataString(realm)}/users/{Uri.EscapeDataString(id)}";
}
