using System.Text.Json.Nodes;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Rollouts;

namespace IdpBridge.Cli.Rollouts;

/// <summary>How <c>rollout start</c> tells that the realm uses the required-action bridge and no user was written.</summary>
internal static class BridgeDeliveryReport
{
    public static async Task<int> WriteAsync(CliContext context, bool json, BridgeDelivery delivery)
    {
        if (json)
        {
            await context.Output.WriteLineAsync(ToJson(delivery).ToJsonString(CliJson.Output)).ConfigureAwait(false);
        }
        else
        {
            await context.Output.WriteLineAsync(delivery.Message).ConfigureAwait(false);
            if (delivery.AttributesWritten.Count > 0)
            {
                await context.Output.WriteLineAsync($"  written    {string.Join(", ", delivery.AttributesWritten)}").ConfigureAwait(false);
            }
        }

        return IdpBridgeCommand.ExitCodes.Success;
    }

    public static JsonObject ToJson(BridgeDelivery delivery) => new()
    {
        ["mode"] = BridgeDelivery.Mode,
        ["realm"] = delivery.Realm,
        ["policy"] = delivery.Policy,
        ["version"] = delivery.VersionNumber,
        ["kind"] = delivery.Kind.Name(),
        ["versionInForce"] = delivery.VersionInForce,
        ["materialVersion"] = delivery.MaterialVersion,
        ["noticeVersion"] = delivery.NoticeVersion,
        ["usersWritten"] = delivery.UsersWritten,
        ["realmAttributesWritten"] = new JsonArray([.. delivery.AttributesWritten.Select(name => (JsonNode?)name)]),
        ["message"] = delivery.Message,
    };
}
