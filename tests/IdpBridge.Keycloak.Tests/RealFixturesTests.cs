using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.Http;
using IdpBridge.Keycloak.IdentityProviders;
using IdpBridge.Keycloak.Realms;
using IdpBridge.Keycloak.RequiredActions;
using IdpBridge.Keycloak.Users;
using IdpBridge.Testing;
using NUnit.Framework;

namespace IdpBridge.Keycloak.Tests;

/// <summary>
/// Every real Keycloak JSON file in <c>../shared/keycloak/api-examples/</c> and <c>realm-exports/</c> is read by
/// the client's representations and written back without losing or changing a field.
/// </summary>
public sealed class RealFixturesTests
{
    /// <summary>
    /// The client's generated serializers for every representation; the lists a file holds them in (a realm export, an
    /// API answer saved whole) are not a type the client reads, so reflection builds those around them.
    /// </summary>
    private static readonly JsonSerializerOptions FileJson = new(KeycloakJson.Options)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(KeycloakJson.Options.TypeInfoResolver, new DefaultJsonTypeInfoResolver()),
    };

    private static readonly (string Prefix, Type Type)[] Shapes =
    [
        ("identity-provider-mappers_", typeof(List<IdentityProviderMapperRepresentation>)),
        ("identity-providers_", typeof(List<IdentityProviderRepresentation>)),
        ("required-actions_", typeof(List<RequiredActionProviderRepresentation>)),
        ("users_", typeof(List<UserRepresentation>)),
        ("token-response_", typeof(TokenResponse)),
    ];

    public static IEnumerable<TestCaseData> Files()
    {
        foreach (var folder in new[] { "api-examples", "realm-exports" })
        {
            foreach (var file in Directory.EnumerateFiles(SharedData.KeycloakFile(folder), "*.json").Order(StringComparer.Ordinal))
            {
                yield return new TestCaseData(file).SetArgDisplayNames(Path.GetFileName(file));
            }
        }
    }

    [TestCaseSource(nameof(Files))]
    public void Representation_RealKeycloakFile_RoundTripsEveryField(string file)
    {
        var original = JsonNode.Parse(File.ReadAllText(file))!;
        var type = TypeOf(file, original);

        var read = JsonSerializer.Deserialize(original.ToJsonString(), type, FileJson);
        var written = JsonNode.Parse(JsonSerializer.Serialize(read, type, FileJson))!;

        var differences = new List<string>();
        Compare(original, written, "$", differences);
        Assert.That(differences, Is.Empty, $"{Path.GetFileName(file)} read as {type.Name} and written back differs");
    }

    [Test]
    public void TokenResponse_KeycloakDocsExample_GivesTokenAndLifetime()
    {
        var response = JsonSerializer.Deserialize<TokenResponse>(
            File.ReadAllText(SharedData.KeycloakFile("api-examples", "token-response_client-credentials_keycloak-docs.json")),
            KeycloakJson.Options)!;

        Assert.Multiple(() =>
        {
            Assert.That(response.AccessToken, Is.EqualTo("2YotnFZFEjr1zCsicMWpAA"));
            Assert.That(response.ExpiresIn, Is.EqualTo(60));
        });
    }

    [Test]
    public void RealmExport_Keycloak24_ReadsTheTypedSections()
    {
        var realms = JsonSerializer.Deserialize<List<RealmRepresentation>>(
            File.ReadAllText(SharedData.KeycloakFile("realm-exports", "keycloak-24.0.4-migration-realm-export.json")),
            FileJson)!;

        var migration2 = realms.Single(realm => realm.Realm == "Migration2");
        Assert.Multiple(() =>
        {
            Assert.That(realms.Select(realm => realm.Realm), Is.EqualTo(new[] { "master", "Migration", "Migration2" }));
            Assert.That(migration2.IdentityProviders!.Single().ProviderId, Is.EqualTo("gitlab"));
            Assert.That(realms.Single(realm => realm.Realm == "Migration").RequiredActions!.Select(action => action.Alias), Does.Contain("TERMS_AND_CONDITIONS"));
            Assert.That(realms.SelectMany(realm => realm.Clients ?? []).Select(client => client.ClientId), Does.Contain("realm-management"));
        });
    }

    private static Type TypeOf(string file, JsonNode content)
    {
        var name = Path.GetFileName(file);
        if (file.Contains("realm-exports", StringComparison.Ordinal))
        {
            return content is JsonArray ? typeof(List<RealmRepresentation>) : typeof(RealmRepresentation);
        }

        var shape = Shapes.Where(shape => name.StartsWith(shape.Prefix, StringComparison.Ordinal)).Select(shape => shape.Type).FirstOrDefault();
        Assert.That(shape, Is.Not.Null, $"No representation is mapped to {name}: add its shape to {nameof(Shapes)}.");
        return shape!;
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected)
        {
            case JsonObject expectedObject when actual is JsonObject actualObject:
                foreach (var (key, value) in expectedObject)
                {
                    if (!actualObject.ContainsKey(key))
                    {
                        differences.Add($"{path}.{key} was lost");
                        continue;
                    }

                    Compare(value, actualObject[key], $"{path}.{key}", differences);
                }

                differences.AddRange(actualObject.Where(pair => !expectedObject.ContainsKey(pair.Key)).Select(pair => $"{path}.{pair.Key} was added"));
                break;
            case JsonArray expectedArray when actual is JsonArray actualArray:
                if (expectedArray.Count != actualArray.Count)
                {
                    differences.Add($"{path} has {actualArray.Count} items instead of {expectedArray.Count}");
                    break;
                }

                for (var i = 0; i < expectedArray.Count; i++)
                {
                    Compare(expectedArray[i], actualArray[i], $"{path}[{i}]", differences);
                }

                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    differences.Add($"{path}: {expected?.ToJsonString()} became {actual?.ToJsonString()}");
                }

                break;
        }
    }
}
