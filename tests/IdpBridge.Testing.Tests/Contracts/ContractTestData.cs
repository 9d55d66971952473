namespace IdpBridge.Testing.Tests.Contracts;

internal static class ContractTestData
{
    public const string Json = "application/json";

    public static readonly KeyValuePair<string, string>[] NoQuery = [];

    public static KeyValuePair<string, string>[] Query(params (string Name, string Value)[] pairs) =>
        [.. pairs.Select(p => KeyValuePair.Create(p.Name, p.Value))];
}
