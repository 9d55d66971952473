namespace IdpBridge.Testing.Contracts;

/// <summary>
/// Collects contract violations seen by any simulator in this test process, so that the test during which a
/// violation happened fails and names it (see <see cref="KeycloakContractAttribute"/>). (Stub.)
/// </summary>
public static class ContractLedger
{
    /// <summary>Records one violation.</summary>
    public static void Report(string violation) => throw new NotImplementedException();

    /// <summary>Removes and returns every violation recorded so far.</summary>
    public static IReadOnlyList<string> TakeAll() => throw new NotImplementedException();
}
