using System.Text.Json;
using IdpBridge.Core.Audit;
using IdpBridge.Keycloak;
using IdpBridge.Keycloak.Http;
using IdpBridge.Keycloak.UserProfile;
using IdpBridge.Testing.Simulator;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Audit;

/// <summary><c>--reveal-unmanaged</c>: ADMIN_VIEW for the scan, then the profile read before, whatever ends the scan (against the simulator).</summary>
public sealed class UnmanagedAttributeRevealTests
{
    private const string Realm = "audited";

    private KeycloakSimulator simulator = null!;
    private ServiceProvider services = null!;
    private KeycloakAdminClient keycloak = null!;

    [SetUp]
    public void Start()
    {
        simulator = KeycloakSimulator.Start();
        simulator.CreateRealm(Realm);
        services = new ServiceCollection().AddKeycloakAdminClientFor(simulator).BuildServiceProvider();
        keycloak = services.GetRequiredService<KeycloakAdminClient>();
    }

    [TearDown]
    public void Stop()
    {
        services.Dispose();
        simulator.Dispose();
    }

    [Test]
    public async Task RunAsync_ScanSucceeds_AdminViewDuringItAndTheSameDocumentAfter()
    {
        var before = await ProfileJsonAsync();
        string? during = null;

        var (result, revealed) = await UnmanagedAttributeReveal.RunAsync(keycloak, Realm, async _ =>
        {
            during = (await keycloak.GetUserProfileAsync(Realm)).UnmanagedAttributePolicy;
            return 42;
        }, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That((result, revealed, during), Is.EqualTo((42, true, "ADMIN_VIEW")));
            Assert.That(await ProfileJsonAsync(), Is.EqualTo(before));
            Assert.That(ProfileWrites(), Is.EqualTo(2), "one write to reveal, one to restore");
        });
    }

    [Test]
    public async Task RunAsync_ScanFails_ProfileRestoredAndTheFailureSurfaces()
    {
        var before = await ProfileJsonAsync();

        Assert.ThrowsAsync<InvalidOperationException>(() =>
            UnmanagedAttributeReveal.RunAsync<int>(keycloak, Realm, _ => throw new InvalidOperationException("Keycloak went away"), CancellationToken.None));

        Assert.That(await ProfileJsonAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task RunAsync_Cancelled_ProfileRestoredDespiteTheCancelledToken()
    {
        var before = await ProfileJsonAsync();
        using var cancel = new CancellationTokenSource();

        Assert.CatchAsync<OperationCanceledException>(() => UnmanagedAttributeReveal.RunAsync<int>(keycloak, Realm, token =>
        {
            cancel.Cancel();
            token.ThrowIfCancellationRequested();
            return Task.FromResult(0);
        }, cancel.Token));

        Assert.That(await ProfileJsonAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task RunAsync_PolicyAlreadySet_NothingWritten()
    {
        var profile = await keycloak.GetUserProfileAsync(Realm);
        await keycloak.UpdateUserProfileAsync(Realm, profile with { UnmanagedAttributePolicy = "ADMIN_EDIT" });

        var (_, revealed) = await UnmanagedAttributeReveal.RunAsync(keycloak, Realm, _ => Task.FromResult(0), CancellationToken.None);

        Assert.That((revealed, ProfileWrites()), Is.EqualTo((false, 1)), "only the test's own write");
    }

    private async Task<string> ProfileJsonAsync() =>
        JsonSerializer.Serialize(await keycloak.GetUserProfileAsync(Realm), KeycloakJson.Options);

    private int ProfileWrites() =>
        simulator.Requests.Count(request => request.Method == "PUT" && request.Path == $"/admin/realms/{Realm}/users/profile");
}
