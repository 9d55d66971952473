using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace IdpBridge.Testing.Contracts;

/// <summary>
/// Put on a test assembly (<c>[assembly: KeycloakContract]</c>): after each test, fails it if any request it sent
/// to a simulator, or any response a simulator gave, broke Keycloak's OpenAPI contract. (Stub.)
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class)]
public sealed class KeycloakContractAttribute : Attribute, ITestAction
{
    /// <inheritdoc />
    public ActionTargets Targets => ActionTargets.Test;

    /// <inheritdoc />
    public void BeforeTest(ITest test)
    {
    }

    /// <inheritdoc />
    public void AfterTest(ITest test)
    {
    }
}
