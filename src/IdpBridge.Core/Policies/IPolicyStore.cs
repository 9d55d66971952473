namespace IdpBridge.Core.Policies;

/// <summary>
/// Where policy versions live (SQLite by default, PostgreSQL for several replicas). Versions are immutable: the
/// store can add and read them, never change or delete one.
/// </summary>
public interface IPolicyStore
{
    /// <summary>
    /// Stores <paramref name="version"/> as the next number of its policy. When the latest version has the same
    /// <see cref="PolicyVersion.ContentHash"/>, nothing is stored and that latest version is returned with
    /// <c>Created = false</c>. The number given in <paramref name="version"/> is ignored: the store assigns it,
    /// atomically, so two publishers at once get two numbers, never one.
    /// </summary>
    Task<(PolicyVersion Version, bool Created)> AddAsync(PolicyVersion version, CancellationToken cancellationToken = default);

    /// <summary>One version by number; null when absent.</summary>
    Task<PolicyVersion?> GetAsync(string realm, string policy, int number, CancellationToken cancellationToken = default);

    /// <summary>Every version of a policy, oldest first.</summary>
    Task<IReadOnlyList<PolicyVersion>> ListAsync(string realm, string policy, CancellationToken cancellationToken = default);

    /// <summary>The version in force at <paramref name="at"/>: the highest number whose <c>EffectiveAt</c> is at or before it.</summary>
    Task<PolicyVersion?> GetEffectiveAsync(string realm, string policy, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The policies a realm has (names), sorted.</summary>
    Task<IReadOnlyList<string>> ListPoliciesAsync(string realm, CancellationToken cancellationToken = default);

    /// <summary>The realms that have at least one policy version (names), sorted.</summary>
    Task<IReadOnlyList<string>> ListRealmsAsync(CancellationToken cancellationToken = default);
}
