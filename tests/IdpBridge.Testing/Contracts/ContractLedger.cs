using System.Collections.Concurrent;

namespace IdpBridge.Testing.Contracts;

/// <summary>
/// Collects contract violations seen by any simulator in this test process, so that the test during which a
/// violation happened fails and names it (see <see cref="KeycloakContractAttribute"/>).
/// </summary>
/// <remarks>
/// One process-wide ledger: a simulator answers on server threads that carry no trace of the test that caused the
/// request, so violations cannot be told apart per test. Tests that use a simulator must therefore not run in
/// parallel with each other (NUnit's default); a parallel test could otherwise be failed for its neighbour's
/// violation.
/// </remarks>
public static class ContractLedger
{
    private static readonly ConcurrentQueue<string> Violations = new();

    /// <summary>How many violations are waiting.</summary>
    public static int Count => Violations.Count;

    /// <summary>Records one violation.</summary>
    public static void Report(string violation)
    {
        ArgumentException.ThrowIfNullOrEmpty(violation);
        Violations.Enqueue(violation);
    }

    /// <summary>Records every violation of one check (e.g. the result of <see cref="OpenApiContract.CheckRequest"/>).</summary>
    public static void ReportAll(IEnumerable<string> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        foreach (var violation in violations)
        {
            Report(violation);
        }
    }

    /// <summary>Removes and returns every violation recorded so far, oldest first.</summary>
    public static IReadOnlyList<string> TakeAll()
    {
        var taken = new List<string>();
        while (Violations.TryDequeue(out var violation))
        {
            taken.Add(violation);
        }

        return taken;
    }
}
