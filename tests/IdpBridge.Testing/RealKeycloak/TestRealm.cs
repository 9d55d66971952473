using System.Text.Json.Nodes;

namespace IdpBridge.Testing.RealKeycloak;

/// <summary>A realm of its own for one test on a real server, with a unique name; deleted when disposed.</summary>
public sealed class TestRealm : IAsyncDisposable
{
    private readonly AdminRest admin;

    private TestRealm(AdminRest admin, string name)
    {
        this.admin = admin;
        Name = name;
    }

    /// <summary>The realm's name, e.g. <c>t-3f9a1c2b</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// A unique realm name with <paramref name="prefix"/>, for a test that makes the realm itself (e.g. through
    /// <c>realm apply</c>); <see cref="DisposeAsync"/> deletes it all the same.
    /// </summary>
    public static TestRealm Reserve(AdminRest admin, string prefix = "t") =>
        new(admin ?? throw new ArgumentNullException(nameof(admin)), $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>Creates an enabled realm with a unique name, plus whatever <paramref name="settings"/> declares.</summary>
    public static async Task<TestRealm> CreateAsync(AdminRest admin, string prefix = "t", JsonObject? settings = null)
    {
        var realm = Reserve(admin, prefix);
        var representation = settings?.DeepClone().AsObject() ?? [];
        representation["realm"] = realm.Name;
        representation["enabled"] ??= true;
        await admin.CreateRealmAsync(representation).ConfigureAwait(false);
        return realm;
    }

    /// <summary>Deletes the realm (when it exists).</summary>
    public async ValueTask DisposeAsync() => await admin.DeleteRealmAsync(Name).ConfigureAwait(false);
}
