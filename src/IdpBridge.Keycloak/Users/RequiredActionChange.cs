namespace IdpBridge.Keycloak.Users;

/// <summary>What <see cref="KeycloakAdminClient.AddRequiredActionAsync"/> did.</summary>
public enum RequiredActionChange
{
    /// <summary>The action was added; the user's other actions were kept.</summary>
    Added,

    /// <summary>The user already carried the action: nothing was written.</summary>
    AlreadyPresent,

    /// <summary>The caller's condition refused the user as read just now: nothing was written.</summary>
    Skipped,
}

/// <summary>The outcome of adding a required action, with the user as read just before the write.</summary>
public sealed record RequiredActionResult(RequiredActionChange Change, UserRepresentation User);
