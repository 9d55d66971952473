using System.Net;
using System.Text.Json.Nodes;
using IdpBridge.Testing.RealKeycloak;
using IdpBridge.Testing.Simulator;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Differential;

/// <summary>The two answers to one request: the real server's and the simulator's.</summary>
internal sealed record AnswerPair(string Request, AdminResponse Server, AdminResponse Simulator)
{
    /// <summary>Fails the test with every difference (status, then body field by field) unless they agree.</summary>
    public void AssertSame(Comparison? comparison = null)
    {
        var differences = new List<string>();
        if (Server.Status != Simulator.Status)
        {
            differences.Add($"status: server {(int)Server.Status} ≠ simulator {(int)Simulator.Status}");
        }

        differences.AddRange(JsonDifferences.Between(Server.Body, Simulator.Body, comparison));
        if (Server.Body is null && Simulator.Body is null && Server.Text != Simulator.Text)
        {
            differences.Add($"body: server \"{Server.Text}\" ≠ simulator \"{Simulator.Text}\"");
        }

        Assert.That(differences, Is.Empty,
            $"{Request}: the simulator answers differently from the real server.\n  {string.Join("\n  ", differences)}\n" +
            $"server:    {Server.Text}\nsimulator: {Simulator.Text}");
    }
}

/// <summary>
/// The real Keycloak (the shared server) and the simulator, each with a realm of the same name, sent the same scripted
/// requests so their answers can be compared field by field. The server is the reference: where they differ, the
/// simulator (or IdpBridge's client) is what gets fixed.
/// </summary>
internal sealed class BothKeycloaks : IAsyncDisposable
{
    private readonly RealServer real;
    private readonly KeycloakSimulator simulator;
    private readonly Dictionary<string, string> serverIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> simulatorIds = new(StringComparer.Ordinal);

    private BothKeycloaks(RealServer real, KeycloakSimulator simulator, AdminRest simulatorAdmin, string realm)
    {
        this.real = real;
        this.simulator = simulator;
        SimulatorAdmin = simulatorAdmin;
        Realm = realm;
    }

    /// <summary>The realm both hold.</summary>
    public string Realm { get; }

    /// <summary>The real server's admin API.</summary>
    public AdminRest ServerAdmin => real.Admin;

    /// <summary>The simulator's admin API.</summary>
    public AdminRest SimulatorAdmin { get; }

    /// <summary>The simulator itself (for what only it can do: seeding data the server's API refuses, faults).</summary>
    public KeycloakSimulator Simulator => simulator;

    /// <summary>Starts a simulator and creates the same new realm on both, from <paramref name="settings"/> when given.</summary>
    public static async Task<BothKeycloaks> StartAsync(JsonObject? settings = null, SimulatorOptions? options = null)
    {
        var real = await RealServer.SharedAsync();
        var simulator = KeycloakSimulator.Start(options ?? new SimulatorOptions { InstalledRequiredActionProviders = RealServerProviders });
        var simulatorAdmin = new AdminRest(new Uri(simulator.Url), simulator.AdminClientId, simulator.AdminClientSecret);
        var name = TestRealm.Reserve(real.Admin, "diff").Name;
        var both = new BothKeycloaks(real, simulator, simulatorAdmin, name);
        var representation = settings?.DeepClone().AsObject() ?? [];
        representation["realm"] = name;
        representation["enabled"] ??= true;
        var created = await both.SendAsync(HttpMethod.Post, "realms", representation);
        Assert.That((created.Server.Status, created.Simulator.Status), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.Created)), created.Request);
        return both;
    }

    /// <summary>
    /// What the shared real server has installed beside Keycloak's own providers (IdpBridge's extension,
    /// <see cref="RealKeycloak.ExtensionJar"/>): a caller passing its own options lists these too.
    /// </summary>
    public static IReadOnlyList<(string ProviderId, string Name)> RealServerProviders { get; } = [("idpbridge-terms", "IdpBridge terms (versioned)")];

    /// <summary>
    /// Sends the same request to both. <paramref name="path"/> is relative to <c>/admin/</c>; <c>{realm}</c> in it
    /// stands for the realm, and <c>{id:NAME}</c> for the id of NAME as each side knows it (see <see cref="RememberId(string, AnswerPair)"/>),
    /// in the path and in the body's strings.
    /// </summary>
    public async Task<AnswerPair> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        var (serverPath, simulatorPath) = Paths(path);
        var server = await ServerAdmin.SendAsync(method, serverPath, ResolveBody(body, serverIds), ensureSuccess: false);
        var simulated = await SimulatorAdmin.SendAsync(method, simulatorPath, ResolveBody(body, simulatorIds), ensureSuccess: false);
        return new AnswerPair($"{method} /admin/{path}", server, simulated);
    }

    /// <summary>Sends the same <c>text/plain</c> body to both (see <see cref="SendAsync"/> for <paramref name="path"/>).</summary>
    public async Task<AnswerPair> SendTextAsync(HttpMethod method, string path, string text)
    {
        var (serverPath, simulatorPath) = Paths(path);
        var server = await ServerAdmin.SendTextAsync(method, serverPath, text, ensureSuccess: false);
        var simulated = await SimulatorAdmin.SendTextAsync(method, simulatorPath, text, ensureSuccess: false);
        return new AnswerPair($"{method} /admin/{path}", server, simulated);
    }

    /// <summary>Remembers, under <paramref name="name"/>, the id each side knows something by (read from an answer of each).</summary>
    public void RememberId(string name, string serverId, string simulatorId)
    {
        serverIds[name] = serverId;
        simulatorIds[name] = simulatorId;
    }

    /// <summary>Remembers, under <paramref name="name"/>, the ids each side gave what <paramref name="created"/> created.</summary>
    public void RememberId(string name, AnswerPair created)
    {
        ArgumentNullException.ThrowIfNull(created);
        serverIds[name] = created.Server.CreatedId;
        simulatorIds[name] = created.Simulator.CreatedId;
    }

    /// <summary>
    /// Stores <paramref name="users"/> as they are, unvalidated, like data older versions, LDAP syncs and partial imports
    /// leave: on the server through <c>partialImport</c> (each user given its realm's default roles, as <c>POST
    /// /users</c> would), in the simulator through its seeding API. Each user's id is remembered under its username.
    /// </summary>
    public async Task SeedUsersAsync(params JsonObject[] users)
    {
        ArgumentNullException.ThrowIfNull(users);
        var forServer = new JsonArray();
        foreach (var user in users)
        {
            var copy = user.DeepClone().AsObject();
            copy["realmRoles"] ??= new JsonArray($"default-roles-{Realm}");
            forServer.Add(copy);
        }

        var imported = await ServerAdmin.ImportUsersAsync(Realm, forServer);
        foreach (var result in imported.Body!["results"]!.AsArray())
        {
            serverIds[result!["resourceName"]!.GetValue<string>()] = result["id"]!.GetValue<string>();
        }

        var realm = simulator.Realm(Realm);
        foreach (var user in users)
        {
            var username = user["username"]!.GetValue<string>().ToLowerInvariant();
            simulatorIds[username] = realm.AddUser(user.DeepClone().AsObject());
            Assert.That(serverIds, Does.ContainKey(username), $"The server did not import {username}: {imported.Text}");
        }
    }

    /// <summary>Deletes the realm on the server and stops the simulator.</summary>
    public async ValueTask DisposeAsync()
    {
        await real.Admin.DeleteRealmAsync(Realm);
        real.Dispose();
        SimulatorAdmin.Dispose();
        simulator.Dispose();
    }

    private (string Server, string Simulator) Paths(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var resolved = path.Replace("{realm}", Uri.EscapeDataString(Realm), StringComparison.Ordinal);
        return (Resolve(resolved, serverIds), Resolve(resolved, simulatorIds));
    }

    private static JsonNode? ResolveBody(JsonNode? body, Dictionary<string, string> ids) =>
        body is null ? null : JsonNode.Parse(Resolve(body.ToJsonString(), ids));

    private static string Resolve(string path, Dictionary<string, string> ids) =>
        ids.Aggregate(path, (current, id) => current.Replace($"{{id:{id.Key}}}", Uri.EscapeDataString(id.Value), StringComparison.Ordinal));
}
