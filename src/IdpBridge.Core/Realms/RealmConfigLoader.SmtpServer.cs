using System.Text.Json.Nodes;
using IdpBridge.Keycloak.IdentityProviders;

namespace IdpBridge.Core.Realms;

public static partial class RealmConfigLoader
{
    private sealed partial class Session
    {
        /// <summary>
        /// The realm's <c>smtpServer</c>: Keycloak's string-to-string map. Its password may only come from the
        /// environment (<c>${env:NAME}</c>) or be Keycloak's mask (keep the stored one): a realm file is shared and
        /// committed, and a password written into it would be in every copy and in the history.
        /// </summary>
        private Dictionary<string, string>? MapSmtpServer(JsonObject root)
        {
            if (!root.ContainsKey(RealmConfigSchema.SmtpServerKey))
            {
                return null;
            }

            var settings = StringMap(root, JsonPaths.Root, RealmConfigSchema.SmtpServerKey, "smtpServer settings (write \"port\": \"2525\")");
            var passwordPath = JsonPaths.Property(JsonPaths.Property(JsonPaths.Root, RealmConfigSchema.SmtpServerKey), SmtpServerPlanner.PasswordKey);
            if (settings.TryGetValue(SmtpServerPlanner.PasswordKey, out var password) && password.Length > 0
                && password != IdentityProviderRepresentation.MaskedSecret && !resolutions.ContainsKey(passwordPath))
            {
                Error(passwordPath,
                    "the SMTP password is written in the file: reference it from the environment instead (\"${env:SMTP_PASSWORD}\"), " +
                    $"or write {IdentityProviderRepresentation.MaskedSecret} to keep the password Keycloak stores");
            }

            if (settings.ContainsKey(SmtpServerPlanner.PasswordHashKey))
            {
                Error(JsonPaths.Property(JsonPaths.Property(JsonPaths.Root, RealmConfigSchema.SmtpServerKey), SmtpServerPlanner.PasswordHashKey),
                    "IdpBridge writes this key itself (a keyed hash of the password it last wrote): leave it out of the file");
            }

            return settings;
        }
    }
}
