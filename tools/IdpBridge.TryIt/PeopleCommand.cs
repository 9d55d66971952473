using System.CommandLine;

namespace IdpBridge.TryIt;

/// <summary>
/// <c>idpbridge-try-it people</c>: the demo people for a stack that runs elsewhere (the compose stack's
/// <c>idpbridge-demo</c>): Keycloak and the admin client from the same settings as the <c>idpbridge</c> command
/// (<c>IdpBridge__Keycloak__Url</c>, <c>__ClientId</c>, <c>__ClientSecret</c> of master's bootstrap client), the
/// service's public address from <c>IdpBridge__Policies__PublicBaseUrl</c>. Prints each new person's password once.
/// </summary>
internal static class PeopleCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var realm = new Option<string>("--realm") { Description = "the demo realm", DefaultValueFactory = _ => TryItSettings.Realm };
        var command = new Command("people", """
            Creates the demo admin (the admin API's role) and the demo user in a running Keycloak through the Admin API,
            unless they exist, and prints their generated passwords (only there). Settings from the environment:
            IdpBridge__Keycloak__Url, IdpBridge__Keycloak__ClientId, IdpBridge__Keycloak__ClientSecret (an admin client of
            master), IdpBridge__Policies__PublicBaseUrl (the IdpBridge service's public address).
            """)
        {
            realm,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                var name = parseResult.GetValue(realm)!;
                var keycloak = new Uri(Setting("IdpBridge__Keycloak__Url").TrimEnd('/') + "/");
                var service = new Uri(Environment.GetEnvironmentVariable("IdpBridge__Policies__PublicBaseUrl") is { Length: > 0 } url ? url : "http://localhost:8081");
                using var admin = await KeycloakAdmin.SignInAsync(
                    keycloak, Setting("IdpBridge__Keycloak__ClientId"), Setting("IdpBridge__Keycloak__ClientSecret"), cancellationToken);
                await new AdminPageAccess(admin, name).EnsureAsync(service, cancellationToken);
                var people = new DemoPeople(admin, name);
                var administrator = await people.CreateAdminAsync(cancellationToken);
                var user = await people.CreateUserAsync(cancellationToken);
                Console.Out.WriteLine(Describe("Demo admin", administrator, $"(role {DemoPeople.AdminRole}: the admin page)"));
                Console.Out.WriteLine(Describe("Demo user ", user, "(meets the terms step at first sign-in)"));
                return 0;
            }
            catch (Exception exception) when (exception is TryItException or UriFormatException)
            {
                await Console.Error.WriteLineAsync($"error: {exception.Message}");
                return 1;
            }
        });
        return command;
    }

    private static string Describe(string label, DemoPerson person, string role) =>
        person.Password is null
            ? $"{label}  {person.Username}  exists already (its password was shown when it was created; reset it in Keycloak's admin console)"
            : $"{label}  {person.Username}  password {person.Password}  {role}";

    private static string Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new TryItException($"{name} is not set (see idpbridge-try-it people --help).");
}
