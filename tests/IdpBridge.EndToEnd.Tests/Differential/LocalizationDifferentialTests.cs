using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Differential;

/// <summary>The realm-text requests provisioning and policy publication send, answered by the real server and the simulator alike.</summary>
public sealed class LocalizationDifferentialTests
{
    [Test]
    public async Task PutGetPostDelete_Texts_SameAnswers()
    {
        await using var both = await BothKeycloaks.StartAsync(new JsonObject { ["internationalizationEnabled"] = true, ["supportedLocales"] = new JsonArray("es", "en") });

        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/localization")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/localization/es")).AssertSame();
        (await both.SendTextAsync(HttpMethod.Put, "realms/{realm}/localization/es/termsTitle", "Términos y condiciones")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/localization/es/termsTitle")).AssertSame();
        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/localization/es", new JsonObject
        {
            ["termsText"] = "<p>Versión 2, vigente desde el 1 de diciembre: lo que cambió y <a href=\"https://example.org\">el texto</a>.</p>",
            ["termsTitle"] = "Términos (v2)",
        })).AssertSame();
        (await both.SendAsync(HttpMethod.Post, "realms/{realm}/localization/en", new JsonObject { ["termsTitle"] = "Terms" })).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/localization/es")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/localization")).AssertSame();
        (await both.SendAsync(HttpMethod.Delete, "realms/{realm}/localization/es/termsTitle")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/localization/es")).AssertSame();
    }

    [Test]
    public async Task AbsentKeysAndLocales_SameAnswers()
    {
        await using var both = await BothKeycloaks.StartAsync();

        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/localization/fr")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/localization/fr/termsTitle")).AssertSame();
        (await both.SendAsync(HttpMethod.Delete, "realms/{realm}/localization/fr/termsTitle")).AssertSame();
    }
}
