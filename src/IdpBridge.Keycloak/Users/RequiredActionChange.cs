namespace IdpBridge.Keycloak.Users;

/// <summary>What <see cref="KeycloakAdminClient.AddRequiredActionAsync"/> or <see cref="KeycloakAdminClient.RemoveRequiredActionAsync"/> did.</summary>
public enum RequiredActionChange
{
    /// <summary>The action was added; the user's other actions were kept.</summary>
    Added,

    /// <summary>The user already carried the action: nothing was written.</summary>
    AlreadyPresent,

    /// <summary>The caller's condition refused the user as read just now: nothing was written.</summary>
    Skipped,

    /// <summary>The action was removed; the user's other actions were kept.</summary>
    Removed,

    /// <summary>The user did not carry the action: nothing was written.</summary>
    AlreadyAbsent,
}

/// <summary>The outcome of adding or removing a required action, with the user as read just before the write.</summary>
public sealed record RequiredActionResult(RequiredActionChange Change, UserRepresentation User);
