using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using IdpBridge.Core.Policies;

namespace IdpBridge.Core.Storage;

/// <summary>
/// Policy versions in a <see cref="PostgresDatabase"/>. A new version's number is assigned while holding a
/// transaction-scoped advisory lock on its (realm, policy), so publishers on any replica queue per policy and never
/// share a number, and publishers of different policies do not wait for each other.
/// </summary>
/// <param name="database">The migrated database.</param>
public sealed class PostgresPolicyStore(PostgresDatabase database) : AdoPolicyStore(database)
{
    /// <summary>The first key of the two-key advisory locks that guard one policy's numbering: "PV".</summary>
    internal const int PolicyLockClass = 0x5056;

    /// <summary>
    /// A stable 32-bit key for one (realm, policy): the first bytes of SHA-256, the same on every replica and .NET
    /// version (string.GetHashCode is randomized per process). Two policies sharing a key only wait for each other.
    /// </summary>
    internal static int PolicyLockKey(string realm, string policy)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(realm + "\u001f" + policy));
        return BinaryPrimitives.ReadInt32BigEndian(hash);
    }

    /// <inheritdoc />
    protected override Task<DbTransaction> BeginPolicyWriteAsync(DbConnection connection, string realm, string policy, CancellationToken cancellationToken) =>
        PostgresDatabase.BeginWithAdvisoryLockAsync(connection, cancellationToken, PolicyLockClass, PolicyLockKey(realm, policy));
}
