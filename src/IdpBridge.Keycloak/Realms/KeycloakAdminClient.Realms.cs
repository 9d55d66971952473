using IdpBridge.Keycloak.Http;
using IdpBridge.Keycloak.Realms;

namespace IdpBridge.Keycloak;

public sealed partial class KeycloakAdminClient
{
    /// <summary>The realms the service account may see (<c>GET /admin/realms</c>).</summary>
    public IAsyncEnumerable<RealmRepresentation> ListRealmsAsync(CancellationToken cancellationToken = default) =>
        GetArrayAsync<RealmRepresentation>(KeycloakPath.Realms.ToString(), cancellationToken);

    /// <summary>
    /// The realm's top-level settings; null when the realm does not exist. Without <c>view-realm</c> Keycloak answers 200
    /// with a cut-down realm (no id, no settings, no attributes): that is a <see cref="KeycloakException"/> naming the
    /// role, so nobody plans, exports, audits or merges attributes from it (<see cref="FindRealmAsAnsweredAsync"/> keeps it).
    /// </summary>
    public async Task<RealmRepresentation?> FindRealmAsync(string realm, CancellationToken cancellationToken = default)
    {
        var path = KeycloakPath.Realm(realm).ToString();
        var found = await FindAsync<RealmRepresentation>(path, cancellationToken).ConfigureAwait(false);
        return found is { Id: null } ? throw KeycloakException.CutDownRealm(new Uri(http.BaseAddress!, path).AbsolutePath) : found;
    }

    /// <summary>The realm as Keycloak answers it, cut down or whole (<c>Id</c> null when cut down); null when it does not exist.</summary>
    public Task<RealmRepresentation?> FindRealmAsAnsweredAsync(string realm, CancellationToken cancellationToken = default) =>
        FindAsync<RealmRepresentation>(KeycloakPath.Realm(realm).ToString(), cancellationToken);

    /// <summary>Creates a realm (<c>POST /admin/realms</c>); 409 when it exists. Not retried.</summary>
    public Task<string> CreateRealmAsync(RealmRepresentation realm, CancellationToken cancellationToken = default) =>
        CreateAsync(KeycloakPath.Realms.ToString(), realm, cancellationToken);

    /// <summary>
    /// Applies the fields present in <paramref name="changes"/> (<c>PUT /admin/realms/{realm}</c>). Careful:
    /// <see cref="RealmRepresentation.Attributes"/>, when present, replaces the realm's whole attribute set,
    /// so send the merged set. Retried on transient failures: the same body twice gives the same realm.
    /// </summary>
    public Task UpdateRealmAsync(string realm, RealmRepresentation changes, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Put, KeycloakPath.Realm(realm).ToString(), changes, retrySafe: true, cancellationToken);

    /// <summary>
    /// Replaces the realm's whole custom attribute set with <paramref name="attributes"/> and changes nothing else
    /// (<c>PUT /admin/realms/{realm}</c> with <c>{"attributes": {...}}</c> alone). Send the set read just before with
    /// your keys merged in: an attribute left out is deleted. Retried on transient failures: the same set twice gives
    /// the same realm.
    /// </summary>
    public Task ReplaceRealmAttributesAsync(string realm, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return UpdateRealmAsync(realm, new RealmRepresentation { Attributes = attributes }, cancellationToken);
    }
}
