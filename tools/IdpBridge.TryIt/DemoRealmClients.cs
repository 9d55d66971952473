namespace IdpBridge.TryIt;

/// <summary>The demo realm's clients that try-it names (declared in realm-config/externos/realm.json).</summary>
internal static class DemoRealmClients
{
    /// <summary>The client through which browsers sign in to the admin page (<c>IdpBridge__AdminApi__PageClientId</c>).</summary>
    public const string AdminPage = "idpbridge-admin-page";
}
