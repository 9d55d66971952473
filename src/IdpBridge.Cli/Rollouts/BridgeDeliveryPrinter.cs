using IdpBridge.Core.Rollouts;

namespace IdpBridge.Cli.Rollouts;

/// <summary>How <c>rollout start</c> tells that the realm uses the required-action bridge and no user was written.</summary>
internal static class BridgeDeliveryPrinter
{
    public static async Task<int> WriteAsync(CliContext context, bool json, BridgeDelivery delivery)
    {
        if (json)
        {
            await context.Output.WriteLineAsync(CliJson.Serialize(BridgeDeliveryReport.From(delivery))).ConfigureAwait(false);
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
}
