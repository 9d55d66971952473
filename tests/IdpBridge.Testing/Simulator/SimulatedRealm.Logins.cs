using System.Globalization;
using System.Security.Cryptography;

namespace IdpBridge.Testing.Simulator;

/// <summary>
/// What a person does at Keycloak's login pages, with the state it leaves and the events Keycloak 26.7.3 stores for it
/// (their details as that server writes them, read off its own events by the differential tests).
/// </summary>
public sealed partial class SimulatedRealm
{
    private const string DefaultRedirectUri = "http://localhost/app/";

    /// <summary>
    /// The user accepts the terms at login (TermsAndConditions.processAction without <c>cancel</c>): sets
    /// <c>terms_and_conditions</c> to now in epoch seconds, removes the action, then emits <c>CUSTOM_REQUIRED_ACTION</c>
    /// (no session id yet) and a separate <c>LOGIN</c> whose session id is the action's <c>code_id</c>
    /// (LoginActionsService.processRequireAction).
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="clientId">The client the user signs in to.</param>
    /// <param name="ipAddress">The address Keycloak sees.</param>
    /// <param name="redirectUri">The client's redirect URI of the authorization request.</param>
    /// <param name="login">What the user typed in the login form (the events' <c>username</c>); default the username.</param>
    public void AcceptTerms(string userId, string clientId = "account", string ipAddress = "127.0.0.1", string? redirectUri = null, string? login = null)
    {
        lock (Sync)
        {
            var user = UserUnlocked(userId);
            var now = Time.GetUtcNow();
            user.Attributes[TermsAttribute] = [now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)];
            user.RequiredActions.Remove(TermsAction);
            var sessionId = NewSessionId();
            var details = TermsStepDetails(redirectUri, sessionId, login ?? user.Username);
            AddEventUnlocked("CUSTOM_REQUIRED_ACTION", user.Id, clientId, ipAddress, null, null, details, now, force: false);
            details["consent"] = "no_consent_required";
            AddEventUnlocked("LOGIN", user.Id, clientId, ipAddress, sessionId, null, details, now, force: false);
        }
    }

    /// <summary>
    /// The user declines the terms (a POST with <c>cancel</c>): deletes <c>terms_and_conditions</c>, keeps the action,
    /// emits <c>CUSTOM_REQUIRED_ACTION_ERROR</c> with <c>error=rejected_by_user</c> and no session id.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="clientId">The client the user signs in to.</param>
    /// <param name="ipAddress">The address Keycloak sees.</param>
    /// <param name="redirectUri">The client's redirect URI of the authorization request.</param>
    /// <param name="login">What the user typed in the login form (the event's <c>username</c>); default the username.</param>
    public void DeclineTerms(string userId, string clientId = "account", string ipAddress = "127.0.0.1", string? redirectUri = null, string? login = null)
    {
        lock (Sync)
        {
            var user = UserUnlocked(userId);
            user.Attributes.Remove(TermsAttribute);
            if (!user.RequiredActions.Contains(TermsAction))
            {
                user.RequiredActions.Add(TermsAction);
            }

            AddEventUnlocked(
                "CUSTOM_REQUIRED_ACTION_ERROR", user.Id, clientId, ipAddress, null, "rejected_by_user",
                TermsStepDetails(redirectUri, NewSessionId(), login ?? user.Username), Time.GetUtcNow(), force: false);
        }
    }

    /// <summary>
    /// Self-registration through the form: creates the user with the realm's enabled default required actions (as
    /// JpaUserProvider.addUser does) and emits <c>REGISTER</c> (its details name the form's email, first and last name).
    /// With the form's terms checkbox (<c>registration-terms-and-conditions</c>) it also sets <c>terms_and_conditions</c>
    /// and takes a default <c>TERMS_AND_CONDITIONS</c> off the new user, as 26.7.3 does; without it the terms step
    /// follows as a required action (<see cref="AcceptTerms"/>). When nothing is left to do, the sign-in ends with
    /// <c>LOGIN</c>. Returns the new id.
    /// </summary>
    /// <param name="username">The username (lower-cased, as Keycloak stores it).</param>
    /// <param name="email">The email.</param>
    /// <param name="firstName">The first name.</param>
    /// <param name="lastName">The last name.</param>
    /// <param name="clientId">The client the registration page belongs to.</param>
    /// <param name="ipAddress">The address Keycloak sees.</param>
    /// <param name="redirectUri">The client's redirect URI of the registration request.</param>
    /// <param name="termsCheckbox">Whether the registration form carries the terms checkbox (ticked). Default true.</param>
    public string RegisterUser(
        string username,
        string? email = null,
        string? firstName = null,
        string? lastName = null,
        string clientId = "account",
        string ipAddress = "127.0.0.1",
        string? redirectUri = null,
        bool termsCheckbox = true)
    {
        lock (Sync)
        {
            if (FindByUsernameUnlocked(username) is not null)
            {
                throw new InvalidOperationException($"User '{username}' exists in realm '{Name}'.");
            }

            var now = Time.GetUtcNow();
            var user = new UserRecord
            {
                Id = NewId(),
                Username = username.ToLowerInvariant(),
                Email = email?.ToLowerInvariant(),
                FirstName = firstName,
                LastName = lastName,
                CreatedTimestamp = now.ToUnixTimeMilliseconds(),
            };
            user.RequiredActions.AddRange(DefaultActionsUnlocked().Where(a => !termsCheckbox || a != TermsAction));
            if (termsCheckbox)
            {
                user.Attributes[TermsAttribute] = [now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)];
            }

            InsertUnlocked(user);
            var sessionId = NewSessionId();
            var details = new Dictionary<string, string>
            {
                ["auth_method"] = "openid-connect",
                ["register_method"] = "form",
                ["redirect_uri"] = redirectUri ?? DefaultRedirectUri,
                ["code_id"] = sessionId,
                ["username"] = user.Username,
            };
            foreach (var (key, value) in new[] { ("email", user.Email), ("first_name", firstName), ("last_name", lastName) })
            {
                if (value is not null)
                {
                    details[key] = value;
                }
            }

            AddEventUnlocked("REGISTER", user.Id, clientId, ipAddress, null, null, details, now, force: false);
            if (user.RequiredActions.Count == 0)
            {
                AddEventUnlocked("LOGIN", user.Id, clientId, ipAddress, sessionId, null, new Dictionary<string, string>
                {
                    ["auth_method"] = "openid-connect",
                    ["response_type"] = "code",
                    ["redirect_uri"] = redirectUri ?? DefaultRedirectUri,
                    ["consent"] = "no_consent_required",
                    ["code_id"] = sessionId,
                    ["response_mode"] = "query",
                    ["username"] = user.Username,
                }, now, force: false);
            }

            return user.Id;
        }
    }

    /// <summary>
    /// An authentication or user session id as Keycloak 26 makes them (<c>SecretGenerator.generateSecureID</c>): 18
    /// random bytes, base64url, 24 characters; not a UUID.
    /// </summary>
    internal static string NewSessionId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

    /// <summary>The details Keycloak 26.7.3 gives the terms step's events after a sign-in through the login form.</summary>
    private static Dictionary<string, string> TermsStepDetails(string? redirectUri, string codeId, string login) => new()
    {
        ["auth_method"] = "openid-connect",
        ["custom_required_action"] = TermsAction,
        ["response_type"] = "code",
        ["redirect_uri"] = redirectUri ?? DefaultRedirectUri,
        ["remember_me"] = "false",
        ["code_id"] = codeId,
        ["response_mode"] = "query",
        ["username"] = login,
    };
}
