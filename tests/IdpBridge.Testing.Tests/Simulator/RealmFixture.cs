using IdpBridge.Testing.Simulator;
using NUnit.Framework;
using static IdpBridge.Testing.Tests.Simulator.SimulatorTestSupport;

namespace IdpBridge.Testing.Tests.Simulator;

/// <summary>A fresh simulator per test with the realm <c>externos</c> and an HttpClient carrying an admin token.</summary>
public abstract class RealmFixture
{
    /// <summary>This test's simulator.</summary>
    protected KeycloakSimulator Sim { get; private set; } = null!;

    /// <summary>A client carrying an admin token.</summary>
    protected HttpClient Http { get; private set; } = null!;

    /// <summary>The realm <c>externos</c>.</summary>
    protected SimulatedRealm Realm { get; private set; } = null!;

    [SetUp]
    public async Task StartSimulator()
    {
        Sim = KeycloakSimulator.Start(CreateOptions());
        Realm = Sim.CreateRealm("externos");
        Http = await AdminClientAsync(Sim);
    }

    [TearDown]
    public void StopSimulator()
    {
        Http.Dispose();
        Sim.Dispose();
    }

    /// <summary>The simulator's options; the default unless a fixture needs a clock or a check of its own.</summary>
    protected virtual SimulatorOptions CreateOptions() => new();
}
