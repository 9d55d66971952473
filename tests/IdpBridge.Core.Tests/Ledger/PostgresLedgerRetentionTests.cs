using IdpBridge.Core.Tests.Storage;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Ledger;

/// <summary>The retention contract on the real PostgreSQL server, the ledger logged in as the restricted service role.</summary>
[TestFixture]
public sealed class PostgresLedgerRetentionTests : LedgerRetentionContract
{
    private readonly PostgresTestDatabases databases = new();

    protected override ITestDatabases Databases => databases;
}
