using IdpBridge.Testing.Storage;
using NUnit.Framework;

// The root namespace of this assembly's tests: the fixture covers every namespace below it (Storage, and the
// ledger and rollout tests that will share the server).
namespace IdpBridge.Core.Tests;

/// <summary>Stops the shared PostgreSQL server once every test of the assembly has run, if any test started it.</summary>
[SetUpFixture]
public sealed class PostgresServerSetUp
{
    [OneTimeTearDown]
    public async Task StopServer() => await PostgresServer.StopSharedAsync();
}
