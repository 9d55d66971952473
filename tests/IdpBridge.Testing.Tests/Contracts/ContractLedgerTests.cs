using IdpBridge.Testing.Contracts;
using NUnit.Framework;

namespace IdpBridge.Testing.Tests.Contracts;

[TestFixture]
[NonParallelizable]
public sealed class ContractLedgerTests
{
    [SetUp]
    public void DrainLedger() => _ = ContractLedger.TakeAll();

    [Test]
    public void TakeAll_AfterReports_ReturnsThemInOrderAndEmptiesTheLedger()
    {
        // Arrange
        ContractLedger.Report("first");
        ContractLedger.ReportAll(["second", "third"]);

        // Act
        var taken = ContractLedger.TakeAll();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(taken, Is.EqualTo(new[] { "first", "second", "third" }));
            Assert.That(ContractLedger.TakeAll(), Is.Empty);
        });
    }

    [Test]
    public void Report_FromManyThreads_KeepsEveryViolation()
    {
        // Act
        Parallel.For(0, 1000, i => ContractLedger.Report($"violation {i}"));
        var taken = ContractLedger.TakeAll();

        // Assert
        Assert.That(taken.Distinct().Count(), Is.EqualTo(1000));
    }

    [Test]
    public void Report_EmptyViolation_IsRefused()
    {
        // Act, Assert
        Assert.Throws<ArgumentException>(() => ContractLedger.Report(string.Empty));
    }
}
