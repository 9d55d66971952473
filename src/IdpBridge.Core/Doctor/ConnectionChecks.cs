using System.Globalization;
using System.Net;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.SignIn;

namespace IdpBridge.Core.Doctor;

/// <summary>Keycloak reachable, the admin token issued, and Keycloak's version: the checks every other Keycloak check needs.</summary>
internal static class ConnectionChecks
{
    /// <summary>The oldest Keycloak major version IdpBridge supports.</summary>
    public const int OldestMajor = 26;

    /// <summary>
    /// Signs in and reads the server's version. Adds the reachability and token findings; returns the token's claims, or
    /// null when there is no token (Keycloak unreachable or refusing the client), and every later Keycloak check is skipped.
    /// </summary>
    public static async Task<AdminTokenAccess?> RunAsync(DoctorRun run, CancellationToken cancellationToken)
    {
        var url = run.Options.Url?.ToString().TrimEnd('/');
        AdminTokenAccess access;
        try
        {
            access = await run.SignIn.SignInAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KeycloakException exception) when (exception.StatusCode is null)
        {
            run.Add(DoctorFinding.Of(DoctorCodes.Unreachable, DoctorStatus.Problem, ("url", url), ("cause", exception.InnerException?.Message ?? exception.Message)));
            return null;
        }
        catch (KeycloakException exception)
        {
            run.Add(DoctorFinding.Of(DoctorCodes.Reachable, DoctorStatus.Ok, ("url", url)));
            run.Add(exception.StatusCode == HttpStatusCode.NotFound
                ? DoctorFinding.Of(DoctorCodes.TokenRealmNotFound, DoctorStatus.Problem, ("tokenRealm", run.Options.Realm), ("url", url))
                : DoctorFinding.Of(
                    DoctorCodes.TokenRefused,
                    DoctorStatus.Problem,
                    ("clientId", run.Options.ClientId),
                    ("tokenRealm", run.Options.Realm),
                    ("status", ((int)exception.StatusCode!.Value).ToString(CultureInfo.InvariantCulture)),
                    ("error", exception.KeycloakError)));
            return null;
        }

        var version = await ReadVersionAsync(run, cancellationToken).ConfigureAwait(false);
        run.Add(IsOlderThanSupported(version)
            ? DoctorFinding.Of(DoctorCodes.UnsupportedVersion, DoctorStatus.Warning, ("url", url), ("version", version), ("oldest", $"{OldestMajor}.0"))
            : DoctorFinding.Of(DoctorCodes.Reachable, DoctorStatus.Ok, ("url", url), ("version", version)));
        var expiresIn = access.ExpiresAt is { } expires ? (long)(expires - run.Time.GetUtcNow()).TotalSeconds : (long?)null;
        run.Add(DoctorFinding.Of(
            DoctorCodes.TokenObtained,
            DoctorStatus.Ok,
            ("clientId", access.ClientId ?? run.Options.ClientId),
            ("tokenRealm", run.Options.Realm),
            ("expiresIn", expiresIn?.ToString(CultureInfo.InvariantCulture))));
        if (!access.CarriesRoles)
        {
            run.Add(DoctorFinding.Of(DoctorCodes.TokenWithoutRoles, DoctorStatus.Warning, ("clientId", run.Options.ClientId)));
        }

        return access;
    }

    /// <summary>The version, or null when the client may not read the server info (Keycloak 26 shows it to realm admins only).</summary>
    private static async Task<string?> ReadVersionAsync(DoctorRun run, CancellationToken cancellationToken)
    {
        try
        {
            return await run.Keycloak.GetServerVersionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KeycloakException exception) when (exception.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static bool IsOlderThanSupported(string? version) =>
        version is not null
        && int.TryParse(version.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
        && major < OldestMajor;
}
