namespace IdpBridge.Core.Realms;

/// <summary>
/// A realm config file was refused. <see cref="Exception.Message"/> lists every problem found, one per line, as
/// <c>file:line:col: $.path: reason</c> (see <see cref="RealmConfigDiagnostic"/>); nothing of the file was loaded.
/// Messages never contain secrets nor values read from the environment.
/// </summary>
public sealed class RealmConfigException : Exception
{
    /// <summary>Creates the exception for the problems found in one file.</summary>
    /// <param name="sourcePath">The file that was refused.</param>
    /// <param name="errors">The problems, in file order (at most <see cref="RealmConfigLoader.MaxErrors"/>).</param>
    /// <param name="omittedErrors">How many further problems were found but not kept.</param>
    public RealmConfigException(string sourcePath, IReadOnlyList<RealmConfigDiagnostic> errors, int omittedErrors = 0)
        : base(FormatMessage(sourcePath, errors, omittedErrors))
    {
        SourcePath = sourcePath;
        Errors = errors;
        OmittedErrors = omittedErrors;
    }

    /// <summary>The file that was refused.</summary>
    public string SourcePath { get; }

    /// <summary>The problems found, in file order.</summary>
    public IReadOnlyList<RealmConfigDiagnostic> Errors { get; }

    /// <summary>How many problems beyond <see cref="Errors"/> were found (the list stops at <see cref="RealmConfigLoader.MaxErrors"/>).</summary>
    public int OmittedErrors { get; }

    private static string FormatMessage(string sourcePath, IReadOnlyList<RealmConfigDiagnostic> errors, int omittedErrors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var lines = errors.Select(error => error.ToString()).ToList();
        if (omittedErrors > 0)
        {
            lines.Add($"{sourcePath}: ... and {omittedErrors} more error{(omittedErrors == 1 ? "" : "s")}");
        }

        return string.Join('\n', lines);
    }
}
