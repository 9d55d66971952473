using IdpBridge.Testing.Contracts;
using NUnit.Framework;
using static IdpBridge.Testing.Tests.Contracts.ContractTestData;

namespace IdpBridge.Testing.Tests.Contracts;

[TestFixture]
public sealed class OpenApiContractRequestTests
{
    private static OpenApiContract Contract => OpenApiContract.Keycloak26_6;

    [Test]
    public void CheckRequest_UserListWithPagingAndSearch_IsDocumented()
    {
        // Arrange
        var query = Query(("first", "0"), ("max", "100"), ("briefRepresentation", "true"), ("search", "ann"), ("q", "dept:sales"));

        // Act
        var violations = Contract.CheckRequest("GET", "/admin/realms/demo/users", query, null, null);

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void CheckRequest_PutUserWithRequiredActionsOnly_IsDocumented()
    {
        // Act
        var violations = Contract.CheckRequest(
            "PUT", "/admin/realms/demo/users/3f1c2a4e-0000-4000-8000-000000000001", NoQuery, Json,
            """{"requiredActions":["TERMS_AND_CONDITIONS"]}""");

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void CheckRequest_PutRealmWithAttributesMap_IsDocumented()
    {
        // Arrange
        const string body = """
            {"registrationAllowed":true,"internationalizationEnabled":true,"supportedLocales":["en","es"],
             "defaultLocale":"en","eventsEnabled":true,"eventsExpiration":2592000,"enabledEventTypes":["LOGIN"],
             "attributes":{"terms.version":"2024-06","frontendUrl":""}}
            """;

        // Act
        var violations = Contract.CheckRequest("PUT", "/admin/realms/demo", NoQuery, "application/json; charset=utf-8", body);

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void CheckRequest_PutLocalizationKeyAsPlainText_IsDocumented()
    {
        // Act
        var violations = Contract.CheckRequest(
            "PUT", "/admin/realms/demo/localization/en/termsText", NoQuery, "text/plain; charset=utf-8", "<p>Read these terms.</p>");

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void CheckRequest_PostLocalizationMap_IsDocumented()
    {
        // Act
        var violations = Contract.CheckRequest(
            "POST", "/admin/realms/demo/localization/es", NoQuery, Json, """{"termsTitle":"Términos","doAccept":"Aceptar"}""");

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void CheckRequest_EventsWithRepeatedTypeAndDateFrom_IsDocumented()
    {
        // Arrange
        var query = Query(("type", "CUSTOM_REQUIRED_ACTION"), ("type", "CUSTOM_REQUIRED_ACTION_ERROR"), ("dateFrom", "2025-01-31"), ("max", "500"));

        // Act
        var violations = Contract.CheckRequest("GET", "/admin/realms/demo/events", query, null, null);

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void CheckRequest_PutRequiredActionFullObject_IsDocumented()
    {
        // Arrange
        const string body = """
            {"alias":"TERMS_AND_CONDITIONS","name":"Terms and Conditions","providerId":"TERMS_AND_CONDITIONS",
             "enabled":true,"defaultAction":true,"priority":20,"config":{"max_auth_age":"300"}}
            """;

        // Act
        var violations = Contract.CheckRequest(
            "PUT", "/admin/realms/demo/authentication/required-actions/TERMS_AND_CONDITIONS", NoQuery, Json, body);

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void CheckRequest_PostIdentityProviderWithConfigMap_IsDocumented()
    {
        // Arrange
        const string body = """
            {"alias":"google","providerId":"google","enabled":true,"trustEmail":true,"firstBrokerLoginFlowAlias":"first broker login",
             "config":{"clientId":"abc","clientSecret":"s3cret","hostedDomain":"example.com","syncMode":"FORCE","kc.org.domain":"ANY"}}
            """;

        // Act
        var violations = Contract.CheckRequest("POST", "/admin/realms/demo/identity-provider/instances", NoQuery, Json, body);

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void CheckRequest_UserCountWithFilter_IsDocumentedAndReachesCountNotUserId()
    {
        // Act
        var violations = Contract.CheckRequest("GET", "/admin/realms/demo/users/count", Query(("q", "dept:sales")), null, null);
        var operation = Contract.FindOperation("GET", "/admin/realms/demo/users/count");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(violations, Is.Empty);
            Assert.That(operation?.PathTemplate, Is.EqualTo("/admin/realms/{realm}/users/count"));
        });
    }

    [Test]
    public void CheckRequest_PutUserProfileWithKeycloakDefaultProfile_IsDocumented()
    {
        // Arrange
        var body = File.ReadAllText(SharedData.KeycloakFile("user-profile", "keycloak-default-user-profile.json"));

        // Act
        var violations = Contract.CheckRequest("PUT", "/admin/realms/demo/users/profile", NoQuery, Json, body);
        var operation = Contract.FindOperation("PUT", "/admin/realms/demo/users/profile");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(violations, Is.Empty);
            Assert.That(operation?.PathTemplate, Is.EqualTo("/admin/realms/{realm}/users/profile"));
        });
    }

    [Test]
    public void CheckRequest_PutStoredUserProfileWithUnmanagedPolicy_IsDocumented()
    {
        // Arrange
        var body = File.ReadAllText(SharedData.KeycloakFile("user-profile", "upconfig-from-keycloak-24.0.4-export.json"));

        // Act
        var violations = Contract.CheckRequest("PUT", "/admin/realms/demo/users/profile", NoQuery, Json, body);

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void CheckRequest_EscapedSegments_AreUnescapedBeforeMatching()
    {
        // Act
        var violations = Contract.CheckRequest("GET", "/admin/realms/my%20realm/identity-provider/instances/acme%2Fidp", NoQuery, null, null);
        var escapedLiteral = Contract.IsDocumented("GET", "/admin/realms/demo/users%2Fcount");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(violations, Is.Empty);
            Assert.That(escapedLiteral, Is.False, "an escaped slash is part of one segment, never a separator");
        });
    }

    [Test]
    public void CheckRequest_UnknownPath_IsNamed()
    {
        // Act
        var violations = Contract.CheckRequest("GET", "/admin/realms/demo/userz", NoQuery, null, null);

        // Assert
        Assert.That(violations, Is.EqualTo(new[] { "GET /admin/realms/demo/userz: no documented path matches (Keycloak 26.6.0 OpenAPI)" }));
    }

    [Test]
    public void CheckRequest_UndocumentedMethod_NamesTheDocumentedOnes()
    {
        // Act
        var violations = Contract.CheckRequest("PATCH", "/admin/realms/demo/users/u1", NoQuery, Json, "{}");

        // Assert
        Assert.That(violations, Is.EqualTo(new[]
        {
            "PATCH /admin/realms/{realm}/users/{user-id}: method PATCH is not documented for this path, only GET, PUT, DELETE (Keycloak 26.6.0 OpenAPI)",
        }));
    }

    [Test]
    public void CheckRequest_UnknownQueryParameter_IsNamed()
    {
        // Act
        var violations = Contract.CheckRequest("GET", "/admin/realms/demo/users", Query(("requiredAction", "TERMS_AND_CONDITIONS")), null, null);

        // Assert
        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0], Does.StartWith("GET /admin/realms/{realm}/users: query parameter 'requiredAction' is not documented"));
    }

    [Test]
    public void CheckRequest_CapitalisedBoolean_IsRejected()
    {
        // Act
        var violations = Contract.CheckRequest("GET", "/admin/realms/demo/users", Query(("briefRepresentation", "True")), null, null);

        // Assert
        Assert.That(violations, Is.EqualTo(new[]
        {
            "GET /admin/realms/{realm}/users: query parameter 'briefRepresentation' has value 'True', " +
            "but a boolean must be 'true' or 'false' in lower case (Keycloak 26.6.0 OpenAPI)",
        }));
    }

    [TestCase("max", "ten")]
    [TestCase("first", "2147483648")]
    public void CheckRequest_NonIntegerQueryValue_IsRejected(string name, string value)
    {
        // Act
        var violations = Contract.CheckRequest("GET", "/admin/realms/demo/users", Query((name, value)), null, null);

        // Assert
        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0], Does.Contain($"query parameter '{name}' has value '{value}', but the document expects an int32"));
    }

    [Test]
    public void CheckRequest_RepeatedScalarQueryParameter_IsRejected()
    {
        // Act
        var violations = Contract.CheckRequest("GET", "/admin/realms/demo/users", Query(("max", "10"), ("max", "20")), null, null);

        // Assert
        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0], Does.Contain("query parameter 'max' is repeated"));
    }

    [Test]
    public void CheckRequest_UnknownTopLevelProperty_NamesPathAndSchema()
    {
        // Act
        var violations = Contract.CheckRequest("PUT", "/admin/realms/demo/users/u1", NoQuery, Json, """{"requiredActions":[],"foo":1}""");

        // Assert
        Assert.That(violations, Is.EqualTo(new[]
        {
            "PUT /admin/realms/{realm}/users/{user-id}: request property $.foo is not in UserRepresentation (Keycloak 26.6.0 OpenAPI)",
        }));
    }

    [Test]
    public void CheckRequest_UnknownPropertyInsideNestedTypedObject_NamesPathAndSchema()
    {
        // Arrange: a map (config) takes any key; a typed object inside an array item does not.
        const string body = """
            {"attributes":[{"name":"terms_version","permissions":{"view":["admin"],"edit":["admin"],"delete":["admin"]},
              "annotations":{"anything":{"goes":true}},"validations":{"length":{"max":10}}}],"groups":[]}
            """;

        // Act
        var violations = Contract.CheckRequest("PUT", "/admin/realms/demo/users/profile", NoQuery, Json, body);

        // Assert
        Assert.That(violations, Is.EqualTo(new[]
        {
            "PUT /admin/realms/{realm}/users/profile: request property $.attributes[0].permissions.delete is not in UPAttributePermissions (Keycloak 26.6.0 OpenAPI)",
        }));
    }

    [Test]
    public void CheckRequest_MapValueOfWrongKind_NamesTheKey()
    {
        // Act
        var violations = Contract.CheckRequest(
            "POST", "/admin/realms/demo/identity-provider/instances", NoQuery, Json,
            """{"alias":"gitlab","providerId":"gitlab","config":{"clientId":"x","foo":true,"kc.org.domain":1}}""");

        // Assert
        Assert.That(violations, Is.EqualTo(new[]
        {
            "POST /admin/realms/{realm}/identity-provider/instances: request value $.config.foo is a boolean but the document expects string (Keycloak 26.6.0 OpenAPI)",
            "POST /admin/realms/{realm}/identity-provider/instances: request value $.config['kc.org.domain'] is a number but the document expects string (Keycloak 26.6.0 OpenAPI)",
        }));
    }

    [TestCase("""{"enabled":"true"}""", "$.enabled is a string but the document expects boolean")]
    [TestCase("""{"priority":20.5}""", "$.priority is the number 20.5, not an int32 but the document expects integer")]
    [TestCase("""{"config":[]}""", "$.config is an array but the document expects object")]
    [TestCase("""{"alias":{"x":1}}""", "$.alias is an object but the document expects string")]
    public void CheckRequest_ValueOfWrongKind_IsNamed(string body, string expected)
    {
        // Act
        var violations = Contract.CheckRequest(
            "PUT", "/admin/realms/demo/authentication/required-actions/TERMS_AND_CONDITIONS", NoQuery, Json, body);

        // Assert
        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0], Does.Contain("request value " + expected));
    }

    [Test]
    public void CheckRequest_ValueOutsideEnum_IsNamed()
    {
        // Act: there is no DISABLED policy; absence means disabled.
        var violations = Contract.CheckRequest(
            "PUT", "/admin/realms/demo/users/profile", NoQuery, Json, """{"attributes":[],"unmanagedAttributePolicy":"DISABLED"}""");

        // Assert
        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0], Does.Contain("request value $.unmanagedAttributePolicy is \"DISABLED\", not one of ENABLED, ADMIN_VIEW, ADMIN_EDIT (UnmanagedAttributePolicy)"));
    }

    [Test]
    public void CheckRequest_JsonToPlainTextOperation_NamesTheDocumentedContentType()
    {
        // Act
        var violations = Contract.CheckRequest(
            "PUT", "/admin/realms/demo/localization/en/termsText", NoQuery, Json, "\"<p>terms</p>\"");

        // Assert
        Assert.That(violations, Is.EqualTo(new[]
        {
            "PUT /admin/realms/{realm}/localization/{locale}/{key}: request Content-Type 'application/json' is not documented (documented: text/plain) (Keycloak 26.6.0 OpenAPI)",
        }));
    }

    [Test]
    public void CheckRequest_FormToJsonOperation_IsRejected()
    {
        // Act
        var violations = Contract.CheckRequest(
            "PUT", "/admin/realms/demo/users/u1", NoQuery, "application/x-www-form-urlencoded", "enabled=true");

        // Assert
        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0], Does.Contain("request Content-Type 'application/x-www-form-urlencoded' is not documented (documented: application/json)"));
    }

    [Test]
    public void CheckRequest_BodyToOperationWithoutBody_IsRejected()
    {
        // Act
        var violations = Contract.CheckRequest("DELETE", "/admin/realms/demo/users/u1", NoQuery, Json, "{}");

        // Assert
        Assert.That(violations, Is.EqualTo(new[]
        {
            "DELETE /admin/realms/{realm}/users/{user-id}: a request body was sent but the operation documents none (Keycloak 26.6.0 OpenAPI)",
        }));
    }

    [Test]
    public void CheckRequest_BodyWithoutContentType_IsRejected()
    {
        // Act
        var violations = Contract.CheckRequest("PUT", "/admin/realms/demo/users/u1", NoQuery, null, "{}");

        // Assert
        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0], Does.Contain("a request body was sent without a Content-Type (documented: application/json)"));
    }

    [Test]
    public void CheckRequest_MalformedJson_IsRejected()
    {
        // Act
        var violations = Contract.CheckRequest("PUT", "/admin/realms/demo/users/u1", NoQuery, Json, "{\"enabled\":");

        // Assert
        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0], Does.Contain("request body is not valid JSON"));
    }

    [Test]
    public void CheckRequest_NullValues_AreAccepted()
    {
        // Act: Jackson reads null as absent.
        var violations = Contract.CheckRequest("PUT", "/admin/realms/demo/users/u1", NoQuery, Json, """{"email":null,"attributes":null}""");

        // Assert
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void Operations_Listing_CarriesIdAndSummary()
    {
        // Act
        var operation = Contract.Operations.Single(o => o.Id == "PUT /admin/realms/{realm}/users/{user-id}");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(operation.Summary, Is.EqualTo("Update the user"));
            Assert.That(operation.Tags, Does.Contain("Users"));
            Assert.That(operation.ToString(), Is.EqualTo("PUT /admin/realms/{realm}/users/{user-id} (Update the user)"));
            Assert.That(Contract.Operations, Has.Count.EqualTo(401));
        });
    }

    [Test]
    public void Keycloak26_6_LoadedTwice_IsTheSameInstance()
    {
        // Act
        var first = OpenApiContract.Keycloak26_6;
        var second = OpenApiContract.Keycloak26_6;

        // Assert
        Assert.That(second, Is.SameAs(first));
        Assert.That(first.Name, Is.EqualTo("Keycloak 26.6.0 OpenAPI"));
    }
}
