namespace IdpBridge.KeycloakLauncher;

/// <summary>Keycloak could not be started: what is missing or what went wrong, with the server's last log lines where it ran.</summary>
public sealed class KeycloakLaunchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeycloakLaunchException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public KeycloakLaunchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public KeycloakLaunchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
