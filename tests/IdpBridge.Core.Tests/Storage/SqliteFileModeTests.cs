using IdpBridge.Core.Storage;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Storage;

/// <summary>The SQLite store holds who accepted what and from which IP: only its owner may read the file (issue 13).</summary>
[Platform(Exclude = "Win")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SqliteFileModeTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private string folder = "";

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("idpbridge-mode-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    [Test]
    public async Task Migrate_NewFileInANewFolder_FileAndItsWalAre0600AndTheFolder0700()
    {
        // Arrange
        var path = Path.Combine(folder, "data", "idpbridge.db");
        var database = new SqliteDatabase(path);

        // Act
        await database.MigrateAsync();
        await using (var connection = await database.OpenConnectionAsync())
        await using (var write = connection.CreateCommand())
        {
            write.CommandText = "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)";
            await write.ExecuteNonQueryAsync();

            // Assert (while the connection holds the -wal and -shm files open)
            Assert.Multiple(() =>
            {
                Assert.That(File.GetUnixFileMode(path), Is.EqualTo(OwnerReadWrite));
                Assert.That(File.GetUnixFileMode(path + "-wal"), Is.EqualTo(OwnerReadWrite));
                Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(path)!), Is.EqualTo(OwnerReadWrite | UnixFileMode.UserExecute));
            });
        }
    }

    [Test]
    public async Task Migrate_ExistingFile_ItsModeIsLeftAsTheOwnerSetIt()
    {
        // Arrange
        var path = Path.Combine(folder, "idpbridge.db");
        await new SqliteDatabase(path).MigrateAsync();
        const UnixFileMode GroupToo = OwnerReadWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(path, GroupToo);

        // Act
        await new SqliteDatabase(path).MigrateAsync();

        // Assert
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(GroupToo));
    }
}
