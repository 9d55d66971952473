using System.Text.Json;
using System.Text.Json.Serialization;
using IdpBridge.Keycloak.Clients;
using IdpBridge.Keycloak.Events;
using IdpBridge.Keycloak.Groups;
using IdpBridge.Keycloak.IdentityProviders;
using IdpBridge.Keycloak.Realms;
using IdpBridge.Keycloak.RequiredActions;
using IdpBridge.Keycloak.UserProfile;
using IdpBridge.Keycloak.Users;

namespace IdpBridge.Keycloak.Http;

/// <summary>The generated serializers of every body IdpBridge reads from or writes to Keycloak.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(RealmRepresentation))]
[JsonSerializable(typeof(UserRepresentation))]
[JsonSerializable(typeof(KeycloakAdminClient.RequiredActionsUpdate))]
[JsonSerializable(typeof(UserProfileConfig))]
[JsonSerializable(typeof(ClientRepresentation))]
[JsonSerializable(typeof(List<ClientRepresentation>))]
[JsonSerializable(typeof(ClientScopeRepresentation))]
[JsonSerializable(typeof(List<ClientScopeRepresentation>))]
[JsonSerializable(typeof(ProtocolMapperRepresentation))]
[JsonSerializable(typeof(List<ProtocolMapperRepresentation>))]
[JsonSerializable(typeof(ProtocolMapperRepresentation[]))]
[JsonSerializable(typeof(RoleRepresentation))]
[JsonSerializable(typeof(List<RoleRepresentation>))]
[JsonSerializable(typeof(IReadOnlyList<RoleRepresentation>))]
[JsonSerializable(typeof(GroupRepresentation))]
[JsonSerializable(typeof(List<GroupRepresentation>))]
[JsonSerializable(typeof(IdentityProviderRepresentation))]
[JsonSerializable(typeof(List<IdentityProviderRepresentation>))]
[JsonSerializable(typeof(IdentityProviderMapperRepresentation))]
[JsonSerializable(typeof(List<IdentityProviderMapperRepresentation>))]
[JsonSerializable(typeof(RequiredActionProviderRepresentation))]
[JsonSerializable(typeof(List<RequiredActionProviderRepresentation>))]
[JsonSerializable(typeof(KeycloakAdminClient.RequiredActionRegistration))]
[JsonSerializable(typeof(UnregisteredRequiredAction))]
[JsonSerializable(typeof(List<UnregisteredRequiredAction>))]
[JsonSerializable(typeof(EventRepresentation))]
[JsonSerializable(typeof(RealmEventsConfigRepresentation))]
internal sealed partial class KeycloakJsonContext : JsonSerializerContext;
