using IdpBridge.Testing.Simulator;
using NUnit.Framework;
using static IdpBridge.Testing.Tests.Simulator.SimulatorTestSupport;

namespace IdpBridge.Testing.Tests.Simulator;

/// <summary>A fresh simulator per test with the realm <c>externos</c> and an HttpClient carrying an admin token.</summary>
public abstract class RealmFixture
{
    protected KeycloakSimulator _sim = null!;
    protected HttpClient _http = null!;
    protected SimulatedRealm _realm = null!;

    [SetUp]
    public async Task StartSimulator()
    {
        _sim = KeycloakSimulator.Start(CreateOptions());
        _realm = _sim.CreateRealm("externos");
        _http = await AdminClientAsync(_sim);
    }

    [TearDown]
    public void StopSimulator()
    {
        _http.Dispose();
        _sim.Dispose();
    }

    /// <summary>The simulator's options; the default unless a fixture needs a clock or a check of its own.</summary>
    protected virtual SimulatorOptions CreateOptions() => new();
}
