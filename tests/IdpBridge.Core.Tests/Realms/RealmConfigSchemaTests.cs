using IdpBridge.Core.Realms;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Realms;

public sealed class RealmConfigSchemaTests
{
    [TestCase("clientSecret", true)]
    [TestCase("secret", true)]
    [TestCase("client.secret.backup", true)]
    [TestCase("smtpPassword", true)]
    [TestCase("password", true)]
    [TestCase("resetPasswordAllowed", false)]
    [TestCase("passwordPolicy", false)]
    [TestCase("clientId", false)]
    public void IsSecretField_Name_TellsWhetherItsValueMayBePrinted(string name, bool secret) =>
        Assert.That(RealmConfigSchema.IsSecretField(name), Is.EqualTo(secret));
}
