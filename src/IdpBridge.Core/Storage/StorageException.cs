namespace IdpBridge.Core.Storage;

/// <summary>
/// The database cannot be used: unreachable, refused the credentials, or holds a schema this build does not know.
/// Its message names the setting to check and never holds a password.
/// </summary>
public sealed class StorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
