using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

/// <summary>
/// The keys that protect the admin page's cookies and the sign-in state live in a configured folder that only the
/// service's user can read, so a restart or another replica reads what this one protected.
/// </summary>
public sealed class DataProtectionTests
{
    [Test]
    public async Task ProtectedData_ServiceRestarts_IsReadWithTheKeysOfTheConfiguredFolder()
    {
        var keys = Path.Combine(Path.GetTempPath(), $"idpbridge-keys-{Guid.NewGuid():N}");
        try
        {
            using var harness = new ServiceHarness(settings: new Dictionary<string, string> { ["IdpBridge:DataProtection:KeysFolder"] = keys });
            var cookie = Protector(harness).Protect("a signed-in admin");

            await harness.RestartAsync(() => Task.CompletedTask);

            Assert.That(Protector(harness).Unprotect(cookie), Is.EqualTo("a signed-in admin"));
            Assert.That(Directory.GetFiles(keys, "key-*.xml"), Is.Not.Empty, "the keys are in the configured folder");
            if (!OperatingSystem.IsWindows())
            {
                Assert.That(File.GetUnixFileMode(keys), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
                    "only the service's user reads the keys");
            }
        }
        finally
        {
            if (Directory.Exists(keys))
            {
                Directory.Delete(keys, recursive: true);
            }
        }
    }

    [Test]
    public void KeysFolder_CannotBeMade_StartUpNamesTheSetting()
    {
        using var harness = new ServiceHarness(settings: new Dictionary<string, string> { ["IdpBridge:DataProtection:KeysFolder"] = "/proc/idpbridge-keys" });

        var refused = Assert.Throws<InvalidOperationException>(() => _ = harness.Factory.Services);

        Assert.That(refused!.Message, Does.Contain("/proc/idpbridge-keys").And.Contain("IdpBridge:DataProtection:KeysFolder"));
    }

    private static IDataProtector Protector(ServiceHarness harness) =>
        harness.Factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("IdpBridge.Tests");
}
