using System.Reflection;
using IdpBridge.Testing.Contracts;
using NUnit.Framework;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace IdpBridge.Testing.Tests.Contracts;

/// <summary>
/// Proves that a violation reported while a test runs fails that very test, by running
/// <see cref="DeliberateContractViolationFixture"/> through NUnit's own runner and reading its results.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class KeycloakContractAttributeTests
{
    [Test]
    public void AfterTest_ViolationReportedDuringTest_FailsThatTestAndNamesEveryViolation()
    {
        // Act
        var results = RunDeliberateFixture();

        // Assert
        var violating = results[nameof(DeliberateContractViolationFixture.SendsAnUndocumentedProperty)];
        Assert.Multiple(() =>
        {
            Assert.That(violating.ResultState.Status, Is.EqualTo(TestStatus.Failed));
            Assert.That(violating.Message, Does.Contain(
                "PUT /admin/realms/{realm}/users/{user-id}: request property $.foo is not in UserRepresentation (Keycloak 26.6.0 OpenAPI)"));
            Assert.That(violating.Message, Does.Contain("query parameter 'direction'"));
            Assert.That(violating.Message, Does.Contain("2 time(s)"));
        });
    }

    [Test]
    public void AfterTest_NoViolation_LeavesTestPassed()
    {
        // Act
        var results = RunDeliberateFixture();

        // Assert
        Assert.That(results[nameof(DeliberateContractViolationFixture.SendsOnlyDocumentedRequests)].ResultState, Is.EqualTo(ResultState.Success));
    }

    [Test]
    public void AfterTest_TestThatAlreadyFailed_StillFailsAndKeepsBothMessages()
    {
        // Act
        var results = RunDeliberateFixture();

        // Assert
        var result = results[nameof(DeliberateContractViolationFixture.FailsOnItsOwnAndViolates)];
        Assert.Multiple(() =>
        {
            Assert.That(result.ResultState.Status, Is.EqualTo(TestStatus.Failed));
            Assert.That(result.Message, Does.Contain("the test's own failure"));
            Assert.That(result.Message, Does.Contain("no documented path matches"));
        });
    }

    [Test]
    public void BeforeTest_StaleViolation_IsDrainedAndNotBlamedOnTheNextTest()
    {
        // Arrange: something reported outside any checked test (here: before the inner run starts).
        ContractLedger.Report("stale violation from an earlier test");

        // Act
        var results = RunDeliberateFixture();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(results.Values.Select(r => r.Message ?? string.Empty), Has.None.Contains("stale violation"));
            Assert.That(ContractLedger.Count, Is.Zero);
        });
    }

    private static Dictionary<string, ITestResult> RunDeliberateFixture()
    {
        var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
        var settings = new Dictionary<string, object>
        {
            // A worker of its own, so the inner run never touches this test's execution context.
            [NUnit.FrameworkPackageSettings.NumberOfTestWorkers] = 1,
        };
        runner.Load(Assembly.GetExecutingAssembly(), settings);

        // Naming the explicit fixture in the filter is what lets NUnit run it.
        var filter = TestFilter.FromXml($"<filter><class>{typeof(DeliberateContractViolationFixture).FullName}</class></filter>");
        var root = runner.Run(TestListener.NULL, filter);

        var leaves = new Dictionary<string, ITestResult>(StringComparer.Ordinal);
        Collect(root, leaves);
        Assert.That(leaves, Has.Count.EqualTo(3), "the inner fixture should have run its three tests");
        return leaves;
    }

    private static void Collect(ITestResult result, Dictionary<string, ITestResult> leaves)
    {
        if (!result.HasChildren)
        {
            if (!result.Test.IsSuite)
            {
                leaves[result.Test.Name] = result;
            }

            return;
        }

        foreach (var child in result.Children)
        {
            Collect(child, leaves);
        }
    }
}

/// <summary>
/// Fails on purpose; it runs only when <see cref="KeycloakContractAttributeTests"/> names it to NUnit's runner, never in
/// the ordinary suite.
/// </summary>
[TestFixture]
[Explicit("Fails on purpose: run only by KeycloakContractAttributeTests through NUnit's runner.")]
[KeycloakContract]
public sealed class DeliberateContractViolationFixture
{
    [Test]
    public void SendsAnUndocumentedProperty()
    {
        ContractLedger.ReportAll(OpenApiContract.Keycloak26_6.CheckRequest(
            "PUT", "/admin/realms/demo/users/u1", [], "application/json", """{"foo":1}"""));
        ContractLedger.ReportAll(OpenApiContract.CheckAvailableIn26_0(
            "GET", "/admin/realms/demo/events", [KeyValuePair.Create("direction", "asc")]));
    }

    [Test]
    public void SendsOnlyDocumentedRequests()
    {
        ContractLedger.ReportAll(OpenApiContract.Keycloak26_6.CheckRequest(
            "PUT", "/admin/realms/demo/users/u1", [], "application/json", """{"requiredActions":["TERMS_AND_CONDITIONS"]}"""));
    }

    [Test]
    public void FailsOnItsOwnAndViolates()
    {
        ContractLedger.ReportAll(OpenApiContract.Keycloak26_6.CheckRequest("GET", "/admin/realms/demo/nowhere", [], null, null));
        Assert.Fail("the test's own failure");
    }
}
