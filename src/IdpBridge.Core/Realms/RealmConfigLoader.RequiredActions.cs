using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdpBridge.Core.Realms;

public static partial class RealmConfigLoader
{
    /// <summary>Required actions.</summary>
    private sealed partial class Session
    {
        private static readonly string[] RequiredActionBooleans = ["enabled", "defaultAction"];

        private void ValidateRequiredAction(JsonObject action, string path)
        {
            CheckFields(action, path, RequiredActionBooleans, JsonShape.Boolean);
            CheckFields(action, path, ["priority"], JsonShape.Integer);
            CheckFields(action, path, ["providerId", "name"], JsonShape.String);
            StringMap(action, path, "config", "required action config");
        }

        /// <summary>
        /// Bridge mode (IdpBridge's <c>idpbridge-terms</c> declared and not disabled) allows no second terms step: Keycloak's
        /// own <c>TERMS_AND_CONDITIONS</c> must be declared, neither enabled nor a default action. Declared, because an
        /// undeclared action keeps whatever the live realm has (enabled, after Admin API mode).
        /// </summary>
        private void CheckOneTermsStep(List<JsonObject> actions)
        {
            var section = JsonPaths.Property(JsonPaths.Root, "requiredActions");
            var bridge = actions.FindIndex(action => IsAction(action, TermsSteps.Bridge));
            if (bridge < 0 || IsFalse(actions[bridge]["enabled"]))
            {
                return;
            }

            var builtIn = actions.FindIndex(action => IsAction(action, TermsSteps.BuiltIn));
            var why = $"the realm runs in bridge mode ({TermsSteps.Bridge} enabled at {JsonPaths.Index(section, bridge)}), so that nobody meets two terms steps";
            if (builtIn < 0)
            {
                Error(JsonPaths.Index(section, bridge),
                    $"declare {TermsSteps.BuiltIn} too, with \"enabled\": false and \"defaultAction\": false: {why} (an undeclared action keeps its live settings)");
                return;
            }

            foreach (var field in RequiredActionBooleans)
            {
                if (!IsFalse(actions[builtIn][field]))
                {
                    Error(JsonPaths.Property(JsonPaths.Index(section, builtIn), field),
                        $"{TermsSteps.BuiltIn} must have \"{field}\": false: {why}; for Admin API mode disable {TermsSteps.Bridge} instead");
                }
            }
        }

        private static bool IsAction(JsonObject action, string alias) =>
            action["alias"] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == alias;

        private static bool IsFalse(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.False;
    }
}
