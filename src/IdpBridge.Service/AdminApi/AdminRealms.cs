using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdpBridge.Service.AdminApi;

/// <summary>
/// The realms this service administers, fixed at start-up because each has its own authentication schemes (a bearer
/// scheme whose authority is that realm, and for the admin page a cookie and a Keycloak sign-in): how a request is
/// given to one of them, and which realm an authenticated identity belongs to.
/// </summary>
internal sealed class AdminRealms(IReadOnlyList<string> names, Func<string, string?> configuredIssuer)
{
    /// <summary>
    /// The prefix of the authentication type the schemes give their identities. Set by the scheme, never read from a
    /// token, so a token cannot name the realm it is good for.
    /// </summary>
    private const string IdentityTypePrefix = "keycloak-realm:";

    private const string BearerPrefix = "Bearer ";

    /// <summary>The served realms, the first (<see cref="AdminApiOptions.Realm"/> when set) first.</summary>
    public IReadOnlyList<string> Names { get; } = names;

    /// <summary>How the refusals name the served realms.</summary>
    public string Described => (Names.Count == 1 ? "realm " : "realms ") + string.Join(", ", Names.Select(name => $"'{name}'"));

    public bool Serves(string realm) => Names.Contains(realm, StringComparer.Ordinal);

    public static string BearerScheme(string realm) => "IdpBridgeAdminBearer:" + realm;

    public static string CookieScheme(string realm) => "IdpBridgeAdminCookie:" + realm;

    public static string OidcScheme(string realm) => "IdpBridgeAdminOidc:" + realm;

    /// <summary>The authentication type of the identities <paramref name="realm"/>'s schemes make.</summary>
    public static string IdentityType(string realm) => IdentityTypePrefix + realm;

    /// <summary>The realm whose scheme authenticated <paramref name="identity"/>; null for anything else.</summary>
    public static string? RealmOf(ClaimsIdentity identity) =>
        identity.IsAuthenticated && identity.AuthenticationType is { } type && type.StartsWith(IdentityTypePrefix, StringComparison.Ordinal)
            ? type[IdentityTypePrefix.Length..]
            : null;

    /// <summary>The realm a request is about: its <c>{realm}</c> route value, if it has one.</summary>
    public static string? RouteRealm(HttpContext context) => context.GetRouteValue("realm") as string;

    public static bool HasBearerToken(HttpContext context) =>
        context.Request.Headers.Authorization.ToString().StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The bearer scheme that validates the request's token: that of the served realm its issuer names. The issuer is
    /// read before validation only to pick the scheme; that scheme then checks signature, issuer, audience and expiry
    /// against its own realm alone. Without a token of a served realm: the route's realm, else the first.
    /// </summary>
    public string SelectBearer(HttpContext context)
    {
        var issuer = UnvalidatedIssuer(context.Request.Headers.Authorization.ToString());
        var realm = issuer is null ? null : Names.FirstOrDefault(name => Issues(name, issuer));
        return BearerScheme(realm ?? RouteOrFirst(context));
    }

    /// <summary>The page cookie of the route's realm: a session of one realm never opens another's page.</summary>
    public string SelectCookie(HttpContext context) => CookieScheme(RouteOrFirst(context));

    private string RouteOrFirst(HttpContext context) =>
        RouteRealm(context) is { } route && Serves(route) ? route : Names.Count > 0 ? Names[0] : "";

    private bool Issues(string realm, string issuer) =>
        configuredIssuer(realm) is { } configured
            ? string.Equals(issuer, configured, StringComparison.Ordinal)
            : issuer.EndsWith("/realms/" + Uri.EscapeDataString(realm), StringComparison.Ordinal);

    private static string? UnvalidatedIssuer(string authorization)
    {
        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[BearerPrefix.Length..].Trim();
        var handler = new JsonWebTokenHandler();
        try
        {
            return handler.CanReadToken(token) ? handler.ReadJsonWebToken(token).Issuer : null;
        }
        catch (Exception exception) when (exception is ArgumentException or SecurityTokenException)
        {
            // Not a JWT: the chosen scheme refuses it with 401, as it refuses any token it cannot validate.
            return null;
        }
    }
}
