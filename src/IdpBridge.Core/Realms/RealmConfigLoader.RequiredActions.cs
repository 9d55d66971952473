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
    }
}
