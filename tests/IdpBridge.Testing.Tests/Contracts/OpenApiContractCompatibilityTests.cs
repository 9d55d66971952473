using IdpBridge.Testing.Contracts;
using NUnit.Framework;
using static IdpBridge.Testing.Tests.Contracts.ContractTestData;

namespace IdpBridge.Testing.Tests.Contracts;

[TestFixture]
public sealed class OpenApiContractCompatibilityTests
{
    [Test]
    public void CheckAvailableIn26_0_EventsDirection_IsFlaggedWhile26_6AcceptsIt()
    {
        // Arrange
        var query = Query(("type", "LOGIN"), ("direction", "asc"), ("max", "100"));

        // Act
        var in26_6 = OpenApiContract.Keycloak26_6.CheckRequest("GET", "/admin/realms/demo/events", query, null, null);
        var in26_0 = OpenApiContract.CheckAvailableIn26_0("GET", "/admin/realms/demo/events", query);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(in26_6, Is.Empty);
            Assert.That(in26_0, Has.Count.EqualTo(1));
            Assert.That(in26_0[0], Does.StartWith(
                "GET /admin/realms/{realm}/events: query parameter 'direction' is not documented " +
                "(documented: client, dateFrom, dateTo, first, ipAddress, max, type, user) in Keycloak 26.0.0 OpenAPI"));
        });
    }

    [Test]
    public void CheckAvailableIn26_0_UsersPagingAndCount_AreAvailable()
    {
        // Act
        var list = OpenApiContract.CheckAvailableIn26_0(
            "GET", "/admin/realms/demo/users", Query(("first", "0"), ("max", "100"), ("briefRepresentation", "false")));
        var count = OpenApiContract.CheckAvailableIn26_0("GET", "/admin/realms/demo/users/count", Query(("q", "a:b")));

        // Assert
        Assert.That(list.Concat(count), Is.Empty);
    }

    [Test]
    public void CheckAvailableIn26_0_PathOnlyIn26_6_IsFlagged()
    {
        // Act: the 26.0.0 document has no workflows resource.
        var violations = OpenApiContract.CheckAvailableIn26_0("GET", "/admin/realms/demo/workflows", NoQuery);

        // Assert
        Assert.That(violations, Is.EqualTo(new[]
        {
            "GET /admin/realms/demo/workflows: the path is not documented in Keycloak 26.0.0 OpenAPI, so the oldest supported server may not have it",
        }));
    }
}
