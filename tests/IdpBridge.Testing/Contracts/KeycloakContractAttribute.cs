using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace IdpBridge.Testing.Contracts;

/// <summary>
/// Put on a test assembly (<c>[assembly: KeycloakContract]</c>) or a fixture: after each test, fails it if any request
/// it sent to a simulator, or any response a simulator gave, broke Keycloak's OpenAPI contract (as recorded in
/// <see cref="ContractLedger"/>). The failure message lists every violation.
/// </summary>
/// <remarks>
/// <see cref="Assert.Fail(string)"/> thrown from <see cref="AfterTest"/> is recorded by NUnit 4 on the test's own
/// result (its <c>BeforeAndAfterTestCommand</c> catches it), which <c>KeycloakContractAttributeTests</c> proves by
/// running a failing fixture through NUnit's runner.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class)]
public sealed class KeycloakContractAttribute : Attribute, ITestAction
{
    /// <inheritdoc />
    public ActionTargets Targets => ActionTargets.Test;

    /// <inheritdoc />
    public void BeforeTest(ITest test)
    {
        // Whatever is left belongs to an earlier test (or to fixture set-up) that was already judged.
        _ = ContractLedger.TakeAll();
    }

    /// <inheritdoc />
    public void AfterTest(ITest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var violations = ContractLedger.TakeAll();
        if (violations.Count == 0)
        {
            return;
        }

        var message = $"{test.FullName} broke Keycloak's Admin API contract {violations.Count} time(s):"
            + Environment.NewLine + string.Join(Environment.NewLine, violations.Select(v => "  - " + v));
        Assert.Fail(message);
    }
}
