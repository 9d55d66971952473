using IdpBridge.Testing.Contracts;

// The simulator's own tests send requests as a client would: they too must keep to Keycloak's documented API,
// and every response the simulator gives must use only documented properties.
[assembly: KeycloakContract]
