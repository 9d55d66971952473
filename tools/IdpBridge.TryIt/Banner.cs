using System.Text;

namespace IdpBridge.TryIt;

/// <summary>What a run prints once everything is up: the addresses and the credentials (the only place the passwords appear).</summary>
internal static class Banner
{
    /// <summary>The text, for <paramref name="stack"/> run with <paramref name="settings"/>.</summary>
    public static string For(TryItStack stack, TryItSettings settings)
    {
        var keycloak = settings.KeycloakUrl.ToString().TrimEnd('/');
        var service = settings.ServiceUrl.ToString().TrimEnd('/');
        const string realm = TryItSettings.Realm;
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"IdpBridge try-it is ready: Keycloak {stack.KeycloakVersion} with the idpbridge theme and bridge, realm {realm}, policy v1 in force.");
        text.AppendLine();
        text.AppendLine($"  Account console (sign in, register)  {keycloak}/realms/{realm}/account");
        text.AppendLine($"  Policy page                          {service}/policies/{realm}/privacy");
        text.AppendLine($"  Admin page (the acceptance record)   {service}/admin/realms/{realm}/ledger");
        text.AppendLine($"  Mail catcher (verification mails)    {settings.MailUrl}");
        text.AppendLine($"  Keycloak admin console               {keycloak}/admin/");
        text.AppendLine();
        text.AppendLine("  Credentials, generated for this run and shown only here:");
        text.AppendLine($"  Demo user      {stack.User.Username}  password {stack.User.Password}");
        text.AppendLine($"  Demo admin     {stack.Admin.Username}  password {stack.Admin.Password}  (role {DemoPeople.AdminRole}: the admin page)");
        text.AppendLine($"  Master admin   {stack.MasterAdmin.Username}  password {stack.MasterAdmin.Password}  (Keycloak's admin console)");
        text.AppendLine();
        text.AppendLine($"  Store: {settings.StorePath}   Service log: {ServiceHost.LogFile(settings)}");
        text.AppendLine($"  idpbridge against this stack: scripts/try-it.sh idpbridge <command>, e.g. publish v2:");
        text.AppendLine($"    scripts/try-it.sh idpbridge policy publish realm-config/{realm}/policies/privacy/v2/*.md --realm {realm}");
        text.AppendLine();
        text.AppendLine("Ctrl+C (or scripts/try-it.sh stop) stops everything.");
        return text.ToString();
    }
}
