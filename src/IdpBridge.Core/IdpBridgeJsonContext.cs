using System.Text.Json;
using System.Text.Json.Serialization;
using IdpBridge.Core.Rollouts;
using IdpBridge.Keycloak;

namespace IdpBridge.Core;

/// <summary>
/// The generated serializers of what IdpBridge.Core writes in <see cref="IdpBridgeJson"/>'s form: a refusal's facts,
/// a rollout and a rollout user as the outputs show them, and the field errors a rollout stores with a user.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RolloutRefusalFacts))]
[JsonSerializable(typeof(RolloutStatusReport))]
[JsonSerializable(typeof(RolloutUserReport))]
[JsonSerializable(typeof(List<KeycloakFieldError>))]
[JsonSerializable(typeof(IReadOnlyList<KeycloakFieldError>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
public sealed partial class IdpBridgeJsonContext : JsonSerializerContext;
