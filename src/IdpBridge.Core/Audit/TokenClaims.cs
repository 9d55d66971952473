using IdpBridge.Keycloak.Clients;

namespace IdpBridge.Core.Audit;

/// <summary>
/// Which user data a protocol mapper puts in tokens (or SAML assertions): the user attributes and properties it reads.
/// Mappers of roles, groups, audiences, session notes and hardcoded claims carry no profile data and are not counted.
/// </summary>
internal static class TokenClaims
{
    /// <summary>The attributes Keycloak's address mapper reads unless configured otherwise (<c>AddressMapper</c>).</summary>
    private static readonly string[] AddressAttributes = ["street", "locality", "region", "postal_code", "country", "formatted"];

    /// <summary>
    /// The mappers of Keycloak's built-in <c>profile</c> scope that read attributes outside Keycloak's root four, with the
    /// attribute each reads (<c>OIDCLoginProtocolFactory</c>): a claim appears only for a user who stores that attribute.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ProfileScopeStandardClaims { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["middle name"] = "middleName",
        ["nickname"] = "nickname",
        ["profile"] = "profile",
        ["picture"] = "picture",
        ["website"] = "website",
        ["gender"] = "gender",
        ["birthdate"] = "birthdate",
        ["zoneinfo"] = "zoneinfo",
        ["locale"] = "locale",
        ["updated at"] = "updatedAt",
    };

    /// <summary>The user data <paramref name="mapper"/> reads; empty when it reads none.</summary>
    public static IReadOnlyList<string> UserDataOf(ProtocolMapperRepresentation mapper)
    {
        ArgumentNullException.ThrowIfNull(mapper);
        var config = mapper.Config ?? new Dictionary<string, string>();
        switch (mapper.ProtocolMapper)
        {
            case "oidc-usermodel-attribute-mapper" or "oidc-usermodel-property-mapper" or "saml-user-attribute-mapper" or "saml-user-property-mapper":
                return config.TryGetValue("user.attribute", out var attribute) && attribute.Length > 0 ? [attribute] : [];
            case "oidc-full-name-mapper":
                return ["firstName", "lastName"];
            case "oidc-address-mapper":
                return [.. AddressAttributes.Select(part => config.TryGetValue($"user.attribute.{part}", out var named) && named.Length > 0 ? named : part)];
            default:
                return [];
        }
    }

    /// <summary>
    /// Whether <paramref name="attribute"/>, as a mapper reads it, is a declared field: the declared attributes, the
    /// email's verified flag, and the user id (the token's subject, never profile data).
    /// </summary>
    public static bool IsDeclared(string attribute, DeclaredFields declared) =>
        declared.Declares(attribute)
        || (attribute == "emailVerified" && declared.Declares("email"))
        || attribute == "id";
}
