using IdpBridge.Testing.Contracts;
using NUnit.Framework;

namespace IdpBridge.Testing.Tests.Contracts;

[TestFixture]
public sealed class OpenApiContractResponseTests
{
    private const string Json = ContractTestData.Json;

    /// <summary>Real Keycloak lists, each with the GET operation that returns such a list.</summary>
    private static readonly (string FilePrefix, string ListPath)[] ExampleLists =
    [
        ("required-actions_", "/admin/realms/demo/authentication/required-actions"),
        ("identity-providers_", "/admin/realms/demo/identity-provider/instances"),
        ("identity-provider-mappers_", "/admin/realms/demo/identity-provider/instances/acme/mappers"),
        ("users_", "/admin/realms/demo/users"),
    ];

    private static OpenApiContract Contract => OpenApiContract.Keycloak26_6;

    public static IEnumerable<TestCaseData> KeycloakExampleLists()
    {
        var folder = SharedData.KeycloakFile("api-examples");
        foreach (var (prefix, listPath) in ExampleLists)
        {
            var files = Directory.GetFiles(folder, prefix + "*.json");
            if (files.Length == 0)
            {
                throw new FileNotFoundException($"No '{prefix}*.json' example in {folder}.");
            }

            foreach (var file in files.OrderBy(f => f, StringComparer.Ordinal))
            {
                foreach (var version in new[] { "26.6", "26.0" })
                {
                    yield return new TestCaseData(Path.GetFileName(file), listPath, version)
                        .SetArgDisplayNames(Path.GetFileName(file), version);
                }
            }
        }
    }

    [TestCaseSource(nameof(KeycloakExampleLists))]
    public void CheckResponse_RealKeycloakListExample_IsAccepted(string fileName, string listPath, string version)
    {
        // Arrange
        var contract = version == "26.6" ? OpenApiContract.Keycloak26_6 : OpenApiContract.Keycloak26_0;
        var body = File.ReadAllText(SharedData.KeycloakFile("api-examples", fileName));

        // Act
        var violations = contract.CheckResponse("GET", listPath, 200, Json, body);

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void CheckResponse_UndocumentedPropertyInUser_IsNamed()
    {
        // Act
        var violations = Contract.CheckResponse(
            "GET", "/admin/realms/demo/users/u1", 200, Json,
            """{"id":"u1","username":"ann","requiredActions":["TERMS_AND_CONDITIONS"],"termsAcceptedAt":1717000000}""");

        // Assert
        Assert.That(violations, Is.EqualTo(new[]
        {
            "GET /admin/realms/{realm}/users/{user-id}: response property $.termsAcceptedAt is not in UserRepresentation (Keycloak 26.6.0 OpenAPI)",
        }));
    }

    [Test]
    public void CheckResponse_UndocumentedPropertyInListItem_NamesTheIndex()
    {
        // Act
        var violations = Contract.CheckResponse(
            "GET", "/admin/realms/demo/events", 200, Json,
            """[{"time":1717000000000,"type":"LOGIN","details":{"username":"ann"}},{"type":"LOGIN","detail":{}}]""");

        // Assert
        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0], Does.Contain("response property $[1].detail is not in EventRepresentation"));
    }

    [Test]
    public void CheckResponse_BareIntegerCount_IsAccepted()
    {
        // Act
        var violations = Contract.CheckResponse("GET", "/admin/realms/demo/users/count", 200, Json, "42");

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void CheckResponse_CountAsString_IsRejected()
    {
        // Act
        var violations = Contract.CheckResponse("GET", "/admin/realms/demo/users/count", 200, Json, "\"42\"");

        // Assert
        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0], Does.Contain("response value $ is a string but the document expects integer"));
    }

    [Test]
    public void CheckResponse_StatusMissingFromDocument_FallsBackToSuccessSchema()
    {
        // Act: the document lists 200 for GET user; a 203 (or any other 2xx) is judged by that schema, not by its code.
        var violations = Contract.CheckResponse("GET", "/admin/realms/demo/users/u1", 203, Json, """{"id":"u1","bogus":true}""");

        // Assert
        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0], Does.Contain("response property $.bogus is not in UserRepresentation"));
    }

    [Test]
    public void CheckResponse_CreatedMapperWithoutBody_IsNotJudgedByItsStatus()
    {
        // Act: Keycloak answers 201 + Location although the document says 200 (docs/keycloak-facts.md).
        var violations = Contract.CheckResponse("POST", "/admin/realms/demo/identity-provider/instances/acme/mappers", 201, null, string.Empty);

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [TestCase(400, """{"errorMessage":"error-invalid-value","params":["email"]}""")]
    [TestCase(409, """{"errorMessage":"User exists with same username"}""")]
    [TestCase(503, "Service Unavailable")]
    public void CheckResponse_ErrorBody_IsNotChecked(int status, string body)
    {
        // Act
        var violations = Contract.CheckResponse("PUT", "/admin/realms/demo/users/u1", status, Json, body);

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void CheckResponse_JsonBodyWhereNoneIsDocumented_IsRejected()
    {
        // Act
        var violations = Contract.CheckResponse("PUT", "/admin/realms/demo/users/u1", 204, Json, """{"id":"u1"}""");

        // Assert
        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0], Does.Contain("documents no JSON response body"));
    }

    [Test]
    public void CheckResponse_PlainTextLocalizationValue_IsNotParsed()
    {
        // Act
        var withType = Contract.CheckResponse("GET", "/admin/realms/demo/localization/en/termsText", 200, "text/plain", "<p>terms</p>");
        var withoutType = Contract.CheckResponse("GET", "/admin/realms/demo/localization/en/termsText", 200, null, "<p>terms</p>");

        // Assert
        Assert.That(withType.Concat(withoutType), Is.Empty);
    }
}
