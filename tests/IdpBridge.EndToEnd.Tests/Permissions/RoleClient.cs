using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IdpBridge.Testing.RealKeycloak;

namespace IdpBridge.EndToEnd.Tests.Permissions;

/// <summary>
/// A confidential client of a realm whose service account holds exactly the given <c>realm-management</c> roles of
/// that realm, made through the admin API; <see cref="Cli"/> runs <c>idpbridge</c> signed in as it.
/// </summary>
internal sealed record RoleClient(string Realm, string ClientId, string Secret, IReadOnlyList<string> Roles)
{
    /// <summary>Creates the client in <paramref name="realm"/> with a random secret and grants its service account <paramref name="roles"/>.</summary>
    public static async Task<RoleClient> CreateAsync(AdminRest admin, string realm, params string[] roles)
    {
        var path = $"realms/{Uri.EscapeDataString(realm)}";
        var clientId = $"roles-{Guid.NewGuid():N}"[..20];
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var id = (await admin.SendAsync(HttpMethod.Post, $"{path}/clients", new JsonObject
        {
            ["clientId"] = clientId,
            ["secret"] = secret,
            ["publicClient"] = false,
            ["serviceAccountsEnabled"] = true,
            ["standardFlowEnabled"] = false,
        })).CreatedId;
        var account = (await admin.GetAsync($"{path}/clients/{id}/service-account-user"))!["id"]!.GetValue<string>();
        var management = (await admin.GetAsync($"{path}/clients?clientId=realm-management"))!.AsArray().Single()!["id"]!.GetValue<string>();
        var all = (await admin.GetAsync($"{path}/clients/{management}/roles"))!.AsArray();
        var granted = new JsonArray(roles.Select(role => all.Single(candidate => candidate!["name"]!.GetValue<string>() == role)!.DeepClone()).ToArray());
        await admin.SendAsync(HttpMethod.Post, $"{path}/users/{account}/role-mappings/clients/{management}", granted);
        return new RoleClient(realm, clientId, secret, roles);
    }

    /// <summary><c>idpbridge</c> of <paramref name="server"/> signed in as this client of its realm (the demo's secrets in the environment).</summary>
    public IdpBridgeProcess Cli(RealServer server)
    {
        var cli = server.Cli();
        cli.Environment["IdpBridge__Keycloak__Realm"] = Realm;
        cli.Environment["IdpBridge__Keycloak__ClientId"] = ClientId;
        cli.Environment["IdpBridge__Keycloak__ClientSecret"] = Secret;
        return cli;
    }
}
