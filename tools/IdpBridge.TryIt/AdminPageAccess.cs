using System.Text.Json.Nodes;

namespace IdpBridge.TryIt;

/// <summary>
/// What the admin page needs in the demo realm and realm.json does not declare (yet): the admin API's role and the
/// page's sign-in client (public, code with PKCE, redirect URIs under the service's admin pages, an audience mapper for
/// <c>idpbridge</c>). Each is created only when the realm lacks it, so a realm file that declares them wins.
/// </summary>
internal sealed class AdminPageAccess(KeycloakAdmin admin, string realm)
{
    /// <summary>The audience the admin API checks (<c>IdpBridge__AdminApi__Audience</c>'s default).</summary>
    public const string Audience = "idpbridge";

    private string Realm => Uri.EscapeDataString(realm);

    /// <summary>Creates the role and the page client when missing; returns what it created, for the log.</summary>
    public async Task<IReadOnlyList<string>> EnsureAsync(Uri service, CancellationToken cancellationToken)
    {
        var created = new List<string>();
        if (await admin.GetAsync($"{Realm}/roles/{DemoPeople.AdminRole}", cancellationToken).ConfigureAwait(false) is null)
        {
            await admin.SendAsync(HttpMethod.Post, $"{Realm}/roles",
                new JsonObject { ["name"] = DemoPeople.AdminRole, ["description"] = "IdpBridge administrator: the admin API and the admin page" },
                cancellationToken).ConfigureAwait(false);
            created.Add($"realm role {DemoPeople.AdminRole}");
        }

        var clients = await admin.GetAsync($"{Realm}/clients?clientId={DemoRealmClients.AdminPage}", cancellationToken).ConfigureAwait(false);
        if (clients!.AsArray().Count == 0)
        {
            var pages = $"{service.ToString().TrimEnd('/')}/admin/realms/{Realm}/*";
            await admin.SendAsync(HttpMethod.Post, $"{Realm}/clients", new JsonObject
            {
                ["clientId"] = DemoRealmClients.AdminPage,
                ["name"] = "IdpBridge admin page",
                ["enabled"] = true,
                ["publicClient"] = true,
                ["standardFlowEnabled"] = true,
                ["directAccessGrantsEnabled"] = false,
                ["redirectUris"] = new JsonArray(pages),
                ["attributes"] = new JsonObject { ["pkce.code.challenge.method"] = "S256", ["post.logout.redirect.uris"] = pages },
                ["protocolMappers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "idpbridge audience",
                    ["protocol"] = "openid-connect",
                    ["protocolMapper"] = "oidc-audience-mapper",
                    ["config"] = new JsonObject
                    {
                        ["included.custom.audience"] = Audience,
                        ["access.token.claim"] = "true",
                        ["id.token.claim"] = "false",
                    },
                }),
            }, cancellationToken).ConfigureAwait(false);
            created.Add($"client {DemoRealmClients.AdminPage}");
        }

        return created;
    }
}
