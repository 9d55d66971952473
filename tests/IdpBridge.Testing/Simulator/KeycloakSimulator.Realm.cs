using System.Globalization;
using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Simulator;

public sealed partial class KeycloakSimulator
{
    private SimResponse RealmRoot(SimRequest request, SimulatedRealm realm, Caller caller)
    {
        switch (request.Method)
        {
            case "GET" when !caller.Has("view-realm") && caller.ManagementRoles.Count > 0:
                // RealmAdminResource.getRealm on 26.7.3: a client with some admin role of the realm but not view-realm gets
                // 200 with a cut-down realm, no id and no settings (seen on the real server: view-users and view-events).
                var whole = realm.RepresentationUnlocked();
                return SimResponse.Json(new JsonObject
                {
                    ["realm"] = realm.Name,
                    ["registrationEmailAsUsername"] = whole["registrationEmailAsUsername"]?.DeepClone() ?? false,
                    ["bruteForceProtected"] = whole["bruteForceProtected"]?.DeepClone() ?? false,
                    ["supportedLocales"] = whole["supportedLocales"]?.DeepClone() ?? new JsonArray(),
                    ["organizationsEnabled"] = whole["organizationsEnabled"]?.DeepClone() ?? false,
                });
            case "GET":
                Require(caller, "view-realm");
                return SimResponse.Json(WithMaskedSmtpPassword(realm.RepresentationUnlocked()));
            case "PUT":
                Require(caller, "manage-realm");
                ApplyRealmUpdate(realm, request.JsonObjectBody());
                return SimResponse.NoContent();
            case "DELETE":
                Require(caller, "manage-realm");
                return DeleteRealm(realm.Name) ? SimResponse.NoContent() : SimResponse.Forbidden();
            default:
                return MethodNotAllowed(request);
        }
    }

    /// <summary>RealmAdminResource.updateRealm / RepresentationToModel.updateRealm: present fields only; attributes replace.</summary>
    internal static void ApplyRealmUpdate(SimulatedRealm realm, JsonObject body)
    {
        foreach (var (key, value) in body)
        {
            if (key is "id" or "realm" or "users" or "clients" or "requiredActions" or "identityProviders" or "identityProviderMappers"
                or "components" or "roles" or "groups" or "localizationTexts" or "clientScopes" or "authenticationFlows" or "authenticatorConfig")
            {
                continue;
            }

            if (value is null)
            {
                continue;
            }

            if (key == "attributes" && value is JsonObject attributes)
            {
                // "attributes" replaces the custom attribute set wholesale, except what the realm's CIBA, device and
                // PAR settings write back into it.
                var replaced = attributes.DeepClone().AsObject();
                foreach (var derived in RealmDefaults.DerivedRealmAttributes)
                {
                    if (!replaced.ContainsKey(derived) && realm.Settings["attributes"]?[derived] is { } kept)
                    {
                        replaced[derived] = kept.DeepClone();
                    }
                }

                realm.Settings[key] = replaced;
                continue;
            }

            var stored = JavaSetOrder.RealmFields.Contains(key) ? JavaSetOrder.Reorder(value) : value.DeepClone();
            if (key == "smtpServer" && stored is JsonObject smtp && SimJson.Str(smtp, "password") == SecretMask)
            {
                // RealmManager.updateRealm: the mask means "keep the stored password".
                if ((realm.Settings["smtpServer"] as JsonObject)?["password"] is { } keptPassword)
                {
                    smtp["password"] = keptPassword.DeepClone();
                }
                else
                {
                    smtp.Remove("password");
                }
            }

            realm.Settings[key] = stored;
        }
    }

    /// <summary>ModelToRepresentation.toRepresentation: a stored SMTP password is shown only as the mask.</summary>
    private static JsonObject WithMaskedSmtpPassword(JsonObject representation)
    {
        if (representation["smtpServer"] is JsonObject smtp && smtp["password"] is not null)
        {
            smtp["password"] = SecretMask;
        }

        return representation;
    }

    // ---------------------------------------------------------------- user profile

    private SimResponse UserProfile(SimRequest request, SimulatedRealm realm, Caller caller)
    {
        switch (request.Method)
        {
            case "GET":
                return SimResponse.Json(SimJson.Clone(realm.UserProfileState));
            case "PUT":
                Require(caller, "manage-realm");
                var body = request.JsonObjectBody();
                var names = (body["attributes"] as JsonArray ?? []).OfType<JsonObject>().Select(a => SimJson.Str(a, "name")).ToList();
                var errors = new List<string>();
                if (body["attributes"] is JsonArray)
                {
                    // UPConfigUtils.validateRootAttributes; DeclarativeUserProfileProviderFactory throws
                    // ComponentValidationException(errors.toString()), UserProfileResource answers 400 with it.
                    foreach (var root in new[] { "username", "email" })
                    {
                        if (!names.Contains(root))
                        {
                            errors.Add("The attribute '" + root + "' can not be removed");
                        }
                    }
                }

                if (errors.Count > 0)
                {
                    return SimResponse.BadRequest("[" + string.Join(", ", errors) + "]");
                }

                realm.SetUserProfileUnlocked(RealmDefaults.Normalize(body));
                return SimResponse.Json(SimJson.Clone(realm.UserProfileState));
            default:
                return MethodNotAllowed(request);
        }
    }

    // ---------------------------------------------------------------- required actions

    private SimResponse? Authentication(SimRequest request, SimulatedRealm realm, Caller caller, string[] rest)
    {
        if (request.Method == "GET")
        {
            Require(caller, "view-realm");
        }
        else
        {
            Require(caller, "manage-realm");
        }

        switch (rest.Length)
        {
            case 2 when rest[1] == "required-actions" && request.Method == "GET":
                return SimResponse.Json(new JsonArray(realm.SortedRequiredActionsUnlocked().Select(a => (JsonNode?)a.DeepClone()).ToArray()));
            case 2 when rest[1] == "unregistered-required-actions" && request.Method == "GET":
                return SimResponse.Json(new JsonArray(RealmDefaults.KnownRequiredActionProviders.Concat(Options.InstalledRequiredActionProviders)
                    .Where(p => !realm.RequiredActionsState.Any(a => SimJson.Str(a, "providerId") == p.ProviderId))
                    .Select(p => (JsonNode?)new JsonObject { ["name"] = p.Name, ["providerId"] = p.ProviderId })
                    .ToArray()));
            case 2 when rest[1] == "register-required-action" && request.Method == "POST":
                var body = request.JsonObjectBody();
                var providerId = SimJson.Str(body, "providerId");
                if (providerId is null)
                {
                    return SimResponse.BadRequest("providerId is required");
                }

                if (realm.IsRegisteredActionUnlocked(providerId))
                {
                    return SimResponse.Conflict("Required action provider already exists");
                }

                var priority = realm.RequiredActionsState.Select(a => SimJson.Long(a, "priority") ?? 0).DefaultIfEmpty(0).Max() + 1;
                realm.RequiredActionsState.Add(RealmDefaults.RequiredAction(providerId, SimJson.Str(body, "name"), true, false, priority));
                return SimResponse.NoContent();
            case 3 when rest[1] == "required-actions":
                var action = realm.RequiredActionsState.FirstOrDefault(a => SimJson.Str(a, "alias") == rest[2]);
                if (action is null)
                {
                    return SimResponse.Error(404, "error", "Failed to find required action");
                }

                switch (request.Method)
                {
                    case "GET":
                        return SimResponse.Json(SimJson.Clone(action));
                    case "PUT":
                        // AuthenticationManagementResource.updateRequiredAction builds a new model from the body:
                        // every field is replaced; enabled/defaultAction/priority are primitives (omitted = false/0).
                        var update = request.JsonObjectBody();
                        var replacement = RealmDefaults.RequiredAction(
                            SimJson.Str(update, "alias") ?? rest[2],
                            SimJson.Str(update, "name"),
                            SimJson.Bool(update, "enabled") ?? false,
                            SimJson.Bool(update, "defaultAction") ?? false,
                            SimJson.Long(update, "priority") ?? 0,
                            update["config"] as JsonObject is { } config ? SimJson.Clone(config) : new JsonObject());
                        replacement["providerId"] = SimJson.Str(action, "providerId");
                        realm.RequiredActionsState[realm.RequiredActionsState.IndexOf(action)] = replacement;
                        return SimResponse.NoContent();
                    case "DELETE":
                        realm.RequiredActionsState.Remove(action);
                        return SimResponse.NoContent();
                    default:
                        return MethodNotAllowed(request);
                }

            default:
                return null;
        }
    }

    // ---------------------------------------------------------------- localization

    private SimResponse? Localization(SimRequest request, SimulatedRealm realm, Caller caller, string[] rest)
    {
        if (request.Method == "GET")
        {
            Require(caller, "view-realm");
        }
        else
        {
            Require(caller, "manage-realm");
        }

        var texts = realm.Localization;
        switch (rest.Length)
        {
            case 1 when request.Method == "GET":
                return SimResponse.Json(SimJson.ToArray(texts.Keys));
            case 2:
                var locale = rest[1];
                switch (request.Method)
                {
                    case "GET":
                        var map = new JsonObject();
                        foreach (var (key, text) in texts.GetValueOrDefault(locale) ?? [])
                        {
                            map[key] = text;
                        }

                        return SimResponse.Json(map);
                    case "POST":
                        var body = request.JsonObjectBody();
                        var target = Texts(texts, locale);
                        foreach (var (key, value) in body)
                        {
                            target[key] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
                        }

                        return SimResponse.NoContent();
                    case "DELETE":
                        return texts.Remove(locale)
                            ? SimResponse.NoContent()
                            : SimResponse.Error(404, "error", "No localization texts for locale " + locale + " found.");
                    default:
                        return MethodNotAllowed(request);
                }

            case 3:
                var (loc, textKey) = (rest[1], rest[2]);
                switch (request.Method)
                {
                    case "GET":
                        return texts.TryGetValue(loc, out var byKey) && byKey.TryGetValue(textKey, out var found)
                            ? new SimResponse(200, found, "text/plain; charset=utf-8")
                            : SimResponse.Error(404, "error", "Localization text not found");
                    case "PUT":
                        Texts(texts, loc)[textKey] = request.Body ?? "";
                        return SimResponse.NoContent();
                    case "DELETE":
                        if (texts.TryGetValue(loc, out var existing) && existing.Remove(textKey))
                        {
                            if (existing.Count == 0)
                            {
                                texts.Remove(loc);
                            }

                            return SimResponse.NoContent();
                        }

                        return SimResponse.Error(404, "error", "Localization text not found");
                    default:
                        return MethodNotAllowed(request);
                }

            default:
                return null;
        }
    }

    private static SortedDictionary<string, string> Texts(SortedDictionary<string, SortedDictionary<string, string>> all, string locale)
    {
        if (!all.TryGetValue(locale, out var texts))
        {
            all[locale] = texts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        }

        return texts;
    }

    // ---------------------------------------------------------------- events

    private SimResponse? Events(SimRequest request, SimulatedRealm realm, Caller caller, string[] rest)
    {
        if (rest.Length == 2 && rest[1] == "config")
        {
            switch (request.Method)
            {
                case "GET":
                    Require(caller, "view-events");
                    return SimResponse.Json(EventsConfig(realm));
                case "PUT":
                    Require(caller, "manage-events");
                    var body = request.JsonObjectBody();
                    RequireKnownListeners(body);

                    // RealmManager.updateRealmEventsConfig: booleans are primitives in the representation.
                    realm.Settings["eventsEnabled"] = SimJson.Bool(body, "eventsEnabled") ?? false;
                    realm.Settings["adminEventsEnabled"] = SimJson.Bool(body, "adminEventsEnabled") ?? false;
                    realm.Settings["adminEventsDetailsEnabled"] = SimJson.Bool(body, "adminEventsDetailsEnabled") ?? false;
                    realm.Settings["eventsExpiration"] = SimJson.Long(body, "eventsExpiration") is { } expiration ? expiration : null;
                    if (body["eventsListeners"] is JsonArray listeners)
                    {
                        realm.Settings["eventsListeners"] = JavaSetOrder.Reorder(listeners);
                    }

                    if (body["enabledEventTypes"] is JsonArray types)
                    {
                        realm.Settings["enabledEventTypes"] = JavaSetOrder.Reorder(types);
                    }

                    return SimResponse.NoContent();
                default:
                    return MethodNotAllowed(request);
            }
        }

        if (rest.Length != 1)
        {
            return null;
        }

        if (request.Method == "DELETE")
        {
            Require(caller, "manage-events");
            realm.ClearEvents();
            return SimResponse.NoContent();
        }

        if (request.Method != "GET")
        {
            return MethodNotAllowed(request);
        }

        Require(caller, "view-events");
        return QueryEvents(request, realm);
    }
}
