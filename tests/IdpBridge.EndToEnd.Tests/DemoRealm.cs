using System.Text.Json;
using System.Text.Json.Nodes;
using IdpBridge.Testing;
using IdpBridge.Testing.RealKeycloak;

namespace IdpBridge.EndToEnd.Tests;

/// <summary>
/// A copy of the demo realm folder (<c>realm-config/externos</c>: realm.json and its policies) in a temporary folder,
/// with a unique realm name so that tests sharing one server never meet. Disposing deletes the realm and the folder.
/// </summary>
internal sealed class DemoRealm : IAsyncDisposable
{
    /// <summary>The values of the secrets the demo realm file references (<c>${env:...}</c>): test values, not real ones.</summary>
    public static readonly IReadOnlyDictionary<string, string> Secrets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GOOGLE_CLIENT_ID"] = "google-client-id.apps.example",
        ["GOOGLE_CLIENT_SECRET"] = "g-secret-3f9a1c",
        ["GITLAB_CLIENT_ID"] = "gitlab-application-id",
        ["GITLAB_CLIENT_SECRET"] = "gl-secret-77d2e0",
        ["IDPBRIDGE_CLIENT_SECRET"] = "idpbridge-secret-5b6e",
    };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly AdminRest admin;

    private DemoRealm(AdminRest admin, string name, string folder)
    {
        this.admin = admin;
        Name = name;
        Folder = folder;
    }

    /// <summary>The realm's unique name (<c>externos-xxxxxxxx</c>).</summary>
    public string Name { get; }

    /// <summary>The copied realm folder, to give <c>idpbridge realm plan|apply</c>.</summary>
    public string Folder { get; }

    /// <summary>The copy's <c>realm.json</c>.</summary>
    public string RealmFile => Path.Combine(Folder, "realm.json");

    /// <summary>The repository's demo realm folder.</summary>
    public static string Source => Path.Combine(SharedData.RepositoryRoot, "realm-config", "externos");

    /// <summary>The repository's demo <c>realm.json</c>, parsed (its <c>${env:...}</c> references as written).</summary>
    public static JsonObject ReadSource() => JsonNode.Parse(File.ReadAllText(Path.Combine(Source, "realm.json")))!.AsObject();

    /// <summary>
    /// The documented Admin API mode variant's <c>requiredActions</c> (<c>realm-config/modes/admin-api.requiredActions.json</c>):
    /// Keycloak's own TERMS_AND_CONDITIONS enabled and a default action, the bridge off.
    /// </summary>
    public static string AdminApiRequiredActions => Path.Combine(SharedData.RepositoryRoot, "realm-config", "modes", "admin-api.requiredActions.json");

    /// <summary>
    /// The Admin API mode variant's service-account roles (<c>realm-config/modes/admin-api.serviceAccountRoles.json</c>):
    /// bridge mode's and what the rollout needs to write users.
    /// </summary>
    public static string AdminApiServiceAccountRoles => Path.Combine(SharedData.RepositoryRoot, "realm-config", "modes", "admin-api.serviceAccountRoles.json");

    /// <summary>
    /// Copies the demo realm in Admin API mode: the file with its <c>requiredActions</c> replaced by
    /// <see cref="AdminApiRequiredActions"/> and its service account's roles by <see cref="AdminApiServiceAccountRoles"/>,
    /// as the README shows. Nothing is created in Keycloak.
    /// </summary>
    public static DemoRealm CopyInAdminApiMode(AdminRest admin)
    {
        var realm = Copy(admin);
        var config = realm.ReadConfig();
        config["requiredActions"] = JsonNode.Parse(File.ReadAllText(AdminApiRequiredActions));
        config["users"]![0]!["clientRoles"]!["realm-management"] = JsonNode.Parse(File.ReadAllText(AdminApiServiceAccountRoles));
        realm.WriteConfig(config);
        return realm;
    }

    /// <summary>Copies the demo realm as the repository has it (bridge mode) under a new name. Nothing is created in Keycloak.</summary>
    public static DemoRealm Copy(AdminRest admin)
    {
        var name = TestRealm.Reserve(admin, "externos").Name;
        var folder = Path.Combine(Path.GetTempPath(), $"idpbridge-e2e-{name}");
        foreach (var file in Directory.EnumerateFiles(Source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, name, Path.GetRelativePath(Source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var realm = new DemoRealm(admin, name, Path.Combine(folder, name));
        var config = realm.ReadConfig();
        config["realm"] = name;
        realm.WriteConfig(config);
        return realm;
    }

    /// <summary>The copy's realm file, parsed.</summary>
    public JsonObject ReadConfig() => JsonNode.Parse(File.ReadAllText(RealmFile))!.AsObject();

    /// <summary>Replaces the copy's realm file.</summary>
    public void WriteConfig(JsonObject config) => File.WriteAllText(RealmFile, config.ToJsonString(Indented));

    public async ValueTask DisposeAsync()
    {
        await admin.DeleteRealmAsync(Name);
        var parent = Path.GetDirectoryName(Folder)!;
        if (Directory.Exists(parent))
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
