using IdpBridge.Core.Ledger;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdpBridge.Cli.Ledger;

/// <summary>
/// Refuses a realm the store knows nothing of (no policy version, never synced), before a command that reads only the
/// store answers "0 records" for a misspelt or wrongly capitalised name (Keycloak's realm names are case-sensitive).
/// </summary>
internal static class KnownRealm
{
    public static async Task RequireAsync(IServiceProvider services, string realm, CancellationToken cancellationToken)
    {
        var ledger = services.GetRequiredService<IAcceptanceLedger>();
        var known = await services.GetRequiredService<IPolicyStore>().ListRealmsAsync(cancellationToken).ConfigureAwait(false);
        if (known.Contains(realm, StringComparer.Ordinal) || await ledger.GetWatermarkAsync(realm, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        var store = services.GetRequiredService<IOptions<IdpBridgeStorageOptions>>().Value.Describe();
        var similar = known.FirstOrDefault(name => string.Equals(name, realm, StringComparison.OrdinalIgnoreCase));
        throw new CliInputException(
            $"The store ({store}) knows nothing of realm '{realm}': no policy version, never synced." +
            (similar is not null ? $" Did you mean '{similar}'? Realm names are case-sensitive."
                : known.Count > 0 ? $" Realms with policy versions there: {string.Join(", ", known)}."
                : "") +
            $" Run 'idpbridge ledger sync --realm {realm}' first, or point IdpBridge__Storage__* at the store that has it.");
    }
}
