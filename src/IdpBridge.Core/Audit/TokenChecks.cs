using IdpBridge.Core.Realms;
using IdpBridge.Keycloak.Clients;

namespace IdpBridge.Core.Audit;

/// <summary>
/// What reaches tokens beyond the declared fields, reported where it is fixed:
/// a client's own mapper of undeclared data (<c>clients[c].protocolMappers[m]</c>); a link, from a client or from the
/// realm's defaults for new clients, to a scope that carries only undeclared data, such as Keycloak's <c>address</c> and
/// <c>phone</c> (<c>clients[c].optionalClientScopes[address]</c>, <c>defaultOptionalClientScopes[phone]</c>); and, in a
/// linked scope that also carries declared fields, each mapper of undeclared data
/// (<c>clientScopes[profile].protocolMappers[m]</c>). Keycloak's own standard-claim mappers of the <c>profile</c> scope
/// (gender, birthdate, ...) are informational: they emit a claim only for a user who stores that attribute, which the
/// stored-attributes scan reports, and <c>profile</c> also carries the declared names.
/// </summary>
internal static class TokenChecks
{
    private const string ProfileScope = "profile";

    /// <summary>The built-in clients' links in the order of their <c>field[scope]</c> path.</summary>
    private static readonly Comparer<(string Field, string Scope)> LinkOrder =
        Comparer<(string Field, string Scope)>.Create((a, b) => string.CompareOrdinal($"{a.Field}[{a.Scope}]", $"{b.Field}[{b.Scope}]"));

    public static IEnumerable<AuditFinding> Run(RealmSnapshot snapshot, DeclaredFields declared)
    {
        var scopes = snapshot.ClientScopes.Where(scope => scope.Name is not null).ToDictionary(scope => scope.Name!, StringComparer.Ordinal);
        var linked = new HashSet<string>(StringComparer.Ordinal);
        var findings = new List<AuditFinding>();
        var builtInLinks = new SortedDictionary<(string Field, string Scope), SortedSet<string>>(LinkOrder);
        foreach (var client in snapshot.Clients.OrderBy(client => client.ClientId, StringComparer.Ordinal))
        {
            var builtIn = client.ClientId is { } id && RealmExporter.BuiltInClients.Contains(id);
            foreach (var mapper in RealmSnapshot.ClientMappers(client))
            {
                if (Undeclared(mapper, declared) is { Count: > 0 } extra)
                {
                    findings.Add(AuditFinding.Of(
                        AuditCodes.TokensClientMapper, builtIn ? AuditSeverity.Informational : AuditSeverity.Finding, AuditChecks.Tokens,
                        $"clients[{client.ClientId}].protocolMappers[{mapper.Name}]",
                        ("clientId", client.ClientId), ("mapper", mapper.Name), ("mapperType", mapper.ProtocolMapper), ("attributes", extra), ("builtIn", builtIn)));
                }
            }

            foreach (var field in new[] { "defaultClientScopes", "optionalClientScopes" })
            {
                foreach (var name in RealmSnapshot.LinkedScopes(client, field))
                {
                    linked.Add(name);
                    if (!scopes.TryGetValue(name, out var scope) || OnlyUndeclared(scope, declared) is not { Count: > 0 } extra)
                    {
                        continue;
                    }

                    if (builtIn)
                    {
                        // Keycloak's own clients got the realm's first defaults (address, phone) when the realm was made.
                        var key = (field, name);
                        if (!builtInLinks.TryGetValue(key, out var clients))
                        {
                            builtInLinks[key] = clients = new SortedSet<string>(StringComparer.Ordinal);
                        }

                        clients.Add(client.ClientId!);
                        continue;
                    }

                    findings.Add(ScopeLink($"clients[{client.ClientId}].{field}[{name}]", name, extra, field, client.ClientId));
                }
            }
        }

        foreach (var ((field, scope), clients) in builtInLinks)
        {
            findings.Add(AuditFinding.Of(
                AuditCodes.TokensBuiltInClients, AuditSeverity.Informational, AuditChecks.Tokens, $"clients[*].{field}[{scope}]",
                ("field", field), ("scope", scope), ("clients", clients.ToList())));
        }

        foreach (var (field, names) in new[]
                 {
                     ("defaultDefaultClientScopes", snapshot.DefaultDefaultClientScopes),
                     ("defaultOptionalClientScopes", snapshot.DefaultOptionalClientScopes)
                 })
        {
            foreach (var name in names)
            {
                linked.Add(name);
                if (scopes.TryGetValue(name, out var scope) && OnlyUndeclared(scope, declared) is { Count: > 0 } extra)
                {
                    findings.Add(ScopeLink($"{field}[{name}]", name, extra, field, clientId: null));
                }
            }
        }

        foreach (var scope in snapshot.ClientScopes.Where(scope => scope.Name is { } name && linked.Contains(name)).OrderBy(scope => scope.Name, StringComparer.Ordinal))
        {
            findings.AddRange(MixedScope(scope, declared));
        }

        return findings;
    }

    private static IEnumerable<AuditFinding> MixedScope(ClientScopeRepresentation scope, DeclaredFields declared)
    {
        var mappers = scope.ProtocolMappers ?? [];
        if (OnlyUndeclared(scope, declared) is { Count: > 0 })
        {
            yield break; // reported at each link instead
        }

        var standard = new List<string>();
        foreach (var mapper in mappers.OrderBy(mapper => mapper.Name, StringComparer.Ordinal))
        {
            if (Undeclared(mapper, declared) is not { Count: > 0 } extra)
            {
                continue;
            }

            if (scope.Name == ProfileScope && mapper.Name is { } name && TokenClaims.ProfileScopeStandardClaims.TryGetValue(name, out var attribute)
                && extra.SequenceEqual([attribute]))
            {
                standard.Add(attribute);
                continue;
            }

            yield return AuditFinding.Of(
                AuditCodes.TokensScopeMapper, AuditSeverity.Finding, AuditChecks.Tokens,
                $"clientScopes[{scope.Name}].protocolMappers[{mapper.Name}]",
                ("scope", scope.Name), ("mapper", mapper.Name), ("mapperType", mapper.ProtocolMapper), ("attributes", extra));
        }

        if (standard.Count > 0)
        {
            yield return AuditFinding.Of(
                AuditCodes.TokensProfileStandardClaims, AuditSeverity.Informational, AuditChecks.Tokens,
                $"clientScopes[{scope.Name}].protocolMappers", ("scope", scope.Name), ("attributes", standard));
        }
    }

    /// <summary>The undeclared data of a scope that carries user data and none of it declared; empty otherwise.</summary>
    private static List<string> OnlyUndeclared(ClientScopeRepresentation scope, DeclaredFields declared)
    {
        var data = (scope.ProtocolMappers ?? []).SelectMany(TokenClaims.UserDataOf).Distinct(StringComparer.Ordinal).ToList();
        return data.Count > 0 && data.All(attribute => !TokenClaims.IsDeclared(attribute, declared)) ? data : [];
    }

    private static List<string> Undeclared(ProtocolMapperRepresentation mapper, DeclaredFields declared) =>
        [.. TokenClaims.UserDataOf(mapper).Where(attribute => !TokenClaims.IsDeclared(attribute, declared))];

    private static AuditFinding ScopeLink(string where, string scope, IReadOnlyList<string> extra, string field, string? clientId) => AuditFinding.Of(
        AuditCodes.TokensUndeclaredScope, AuditSeverity.Finding, AuditChecks.Tokens, where,
        ("scope", scope), ("attributes", extra), ("field", field), ("clientId", clientId));
}
