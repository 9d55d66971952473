namespace IdpBridge.Core.Rollouts;

/// <summary>A rollout cannot start or go on, for a reason an administrator can fix; the message says how.</summary>
public sealed class RolloutException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RolloutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public RolloutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public RolloutException()
    {
    }
}
