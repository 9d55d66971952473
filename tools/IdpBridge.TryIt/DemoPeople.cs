using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace IdpBridge.TryIt;

/// <summary>A person of the demo, with the password generated for this run (printed once, kept nowhere); null when the person existed already.</summary>
internal sealed record DemoPerson(string Username, string? Password);

/// <summary>
/// Creates the demo's people through Keycloak's Admin API (realm files hold no users): an administrator, who joins
/// the group that holds the admin API's role (or gets the role itself when the realm has no such group), and a user.
/// Both are created as Keycloak's <c>POST /users</c> creates anyone: default roles and the realm's default required
/// actions (the terms step), email verified, a password that is not temporary. A person who exists is left alone.
/// </summary>
internal sealed class DemoPeople(KeycloakAdmin admin, string realm)
{
    /// <summary>The admin API's role (<c>IdpBridge__AdminApi__Role</c>'s default).</summary>
    public const string AdminRole = "idpbridge-admin";

    /// <summary>The demo realm's group of administrators, which holds <see cref="AdminRole"/>.</summary>
    public const string AdminGroup = "idpbridge-admins";

    private string Realm => Uri.EscapeDataString(realm);

    /// <summary>Creates the administrator (unless there is one) and grants the admin API's role.</summary>
    public async Task<DemoPerson> CreateAdminAsync(CancellationToken cancellationToken)
    {
        var (person, id) = await CreateAsync($"demo-admin@{realm}.example", "Alba", "Administradora", cancellationToken).ConfigureAwait(false);
        var groups = await admin.GetAsync($"{Realm}/groups?search={AdminGroup}&exact=true&briefRepresentation=true", cancellationToken).ConfigureAwait(false);
        if (groups!.AsArray().FirstOrDefault(group => group?["name"]?.GetValue<string>() == AdminGroup) is { } group)
        {
            await admin.SendAsync(HttpMethod.Put, $"{Realm}/users/{id}/groups/{Uri.EscapeDataString(group["id"]!.GetValue<string>())}", null, cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            var role = await admin.GetAsync($"{Realm}/roles/{AdminRole}", cancellationToken).ConfigureAwait(false)
                ?? throw new TryItException($"The realm {realm} has neither the group {AdminGroup} nor the role {AdminRole}: realm-config/{realm}/realm.json should declare them.");
            await admin.SendAsync(HttpMethod.Post, $"{Realm}/users/{id}/role-mappings/realm", new JsonArray(role.DeepClone()), cancellationToken).ConfigureAwait(false);
        }

        return person;
    }

    /// <summary>Creates the user (unless there is one), who meets the terms step at first sign-in.</summary>
    public async Task<DemoPerson> CreateUserAsync(CancellationToken cancellationToken) =>
        (await CreateAsync($"demo-user@{realm}.example", "Ulises", "Usuario", cancellationToken).ConfigureAwait(false)).Person;

    private async Task<(DemoPerson Person, string Id)> CreateAsync(string email, string firstName, string lastName, CancellationToken cancellationToken)
    {
        if (await UserIdAsync(email, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return (new DemoPerson(email, null), existing);
        }

        var password = NewPassword();
        var user = new JsonObject
        {
            ["username"] = email,
            ["email"] = email,
            ["firstName"] = firstName,
            ["lastName"] = lastName,
            ["enabled"] = true,
            ["emailVerified"] = true,
            ["credentials"] = new JsonArray(new JsonObject { ["type"] = "password", ["value"] = password, ["temporary"] = false }),
        };
        await admin.SendAsync(HttpMethod.Post, $"{Realm}/users", user, cancellationToken).ConfigureAwait(false);
        var id = await UserIdAsync(email, cancellationToken).ConfigureAwait(false)
            ?? throw new TryItException($"Keycloak created {email} but does not list it.");
        return (new DemoPerson(email, password), id);
    }

    private async Task<string?> UserIdAsync(string username, CancellationToken cancellationToken)
    {
        var users = await admin.GetAsync($"{Realm}/users?username={Uri.EscapeDataString(username)}&exact=true&briefRepresentation=true", cancellationToken)
            .ConfigureAwait(false);
        return users!.AsArray().SingleOrDefault()?["id"]?.GetValue<string>();
    }

    /// <summary>18 characters from letters and digits without look-alikes, with a digit, an upper and a lower case letter.</summary>
    private static string NewPassword()
    {
        const string lower = "abcdefghijkmnpqrstuvwxyz";
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        const string digits = "23456789";
        var random = RandomNumberGenerator.GetString(lower + upper + digits, 15);
        return RandomNumberGenerator.GetString(upper, 1) + random + RandomNumberGenerator.GetString(digits, 1) + RandomNumberGenerator.GetString(lower, 1);
    }
}
