using System.Text.Json.Nodes;
using NUnit.Framework;

namespace IdpBridge.EndToEnd.Tests.Differential;

/// <summary>The required-action requests <c>realm plan | apply</c> send, answered by the real server and the simulator alike.</summary>
public sealed class RequiredActionsDifferentialTests
{
    [Test]
    public async Task ListAndGet_NewRealm_SameActions()
    {
        await using var both = await BothKeycloaks.StartAsync();

        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/authentication/required-actions")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/authentication/required-actions/TERMS_AND_CONDITIONS")).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/authentication/unregistered-required-actions")).AssertSame();
    }

    [Test]
    public async Task Put_PrimitivesLeftOut_BecomeFalseAndZero()
    {
        await using var both = await BothKeycloaks.StartAsync();

        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/authentication/required-actions/TERMS_AND_CONDITIONS", new JsonObject
        {
            ["alias"] = "TERMS_AND_CONDITIONS",
            ["name"] = "Terms and Conditions",
            ["providerId"] = "TERMS_AND_CONDITIONS",
            ["enabled"] = true,
        })).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/authentication/required-actions/TERMS_AND_CONDITIONS")).AssertSame();
    }

    [Test]
    public async Task Put_WholeObject_ReadBackAsSent()
    {
        await using var both = await BothKeycloaks.StartAsync();
        var action = (await both.SendAsync(HttpMethod.Get, "realms/{realm}/authentication/required-actions/TERMS_AND_CONDITIONS")).Server.Body!.DeepClone().AsObject();
        action["enabled"] = true;
        action["defaultAction"] = true;

        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/authentication/required-actions/TERMS_AND_CONDITIONS", action)).AssertSame();
        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/authentication/required-actions")).AssertSame();
    }

    [Test]
    public async Task UnknownAction_GetAndPut_SameErrors()
    {
        await using var both = await BothKeycloaks.StartAsync();

        (await both.SendAsync(HttpMethod.Get, "realms/{realm}/authentication/required-actions/NO_SUCH_ACTION")).AssertSame();
        (await both.SendAsync(HttpMethod.Put, "realms/{realm}/authentication/required-actions/NO_SUCH_ACTION",
            new JsonObject { ["alias"] = "NO_SUCH_ACTION", ["enabled"] = true })).AssertSame();
    }
}
