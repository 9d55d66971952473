using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace IdpBridge.Service.AdminApi;

/// <summary>
/// <c>/admin/realms/{realm}/signout</c>: ends the browser's admin page session of that realm, and with a sign-in client
/// the Keycloak session too (OpenID Connect RP-initiated logout), then comes back to the page, which asks to sign in.
/// </summary>
internal static class AdminPageSignOut
{
    public static void MapAdminPageSignOut(this WebApplication app) =>
        // A GET, so that the page's link works under its CSP (form-action would block the redirect to Keycloak). A forged
        // link can only sign an admin out, never in.
        app.MapGet("/admin/realms/{realm}/signout", async Task<IResult> (string realm, HttpContext http, AdminRealms realms, IOptions<AdminApiOptions> options) =>
        {
            if (!realms.Serves(realm))
            {
                return AdminEndpoints.Problem(StatusCodes.Status404NotFound, "Not a realm this service administers", $"This service administers {realms.Described}.");
            }

            http.Response.Headers.CacheControl = "no-store";
            if (!string.IsNullOrEmpty(options.Value.PageClientId))
            {
                // First, while the request still carries the cookie whose ID token Keycloak gets as id_token_hint.
                await http.SignOutAsync(AdminRealms.OidcScheme(realm), new AuthenticationProperties
                {
                    RedirectUri = $"/admin/realms/{Uri.EscapeDataString(realm)}/ledger",
                }).ConfigureAwait(false);
            }

            await http.SignOutAsync(AdminRealms.CookieScheme(realm)).ConfigureAwait(false);
            return string.IsNullOrEmpty(options.Value.PageClientId) ? TypedResults.NoContent() : TypedResults.Empty;
        });
}
