namespace IdpBridge.TryIt;

/// <summary>Why the try-it stack cannot start or stop, said for the person who ran it (printed as <c>error: ...</c>, never a stack trace).</summary>
public sealed class TryItException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TryItException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public TryItException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public TryItException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
