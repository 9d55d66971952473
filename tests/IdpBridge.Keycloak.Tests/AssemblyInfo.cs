using IdpBridge.Testing.Contracts;

// Every request these tests send to the simulator is checked against Keycloak's OpenAPI document.
[assembly: KeycloakContract]
