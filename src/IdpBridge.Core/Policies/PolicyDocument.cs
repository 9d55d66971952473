namespace IdpBridge.Core.Policies;

/// <summary>
/// One policy source file as read: its normalised Markdown body, the body's hash and what its front matter said.
/// Nothing here is validated against a realm; <see cref="PolicyVersionBuilder"/> does that.
/// </summary>
/// <param name="SourceName">Where it came from (a path or a name given to the parser), used in every message.</param>
/// <param name="Title">
/// The front matter's <c>title</c>; without one, the first <c># </c> heading; without one, the first non-empty line
/// (heading markers removed).
/// </param>
/// <param name="Markdown">
/// The body without front matter: UTF-8 BOM dropped, line endings <c>\n</c>, ending in exactly one <c>\n</c>.
/// Everything else is the author's text, kept as written (stray <c>-</c> lines included).
/// </param>
/// <param name="Sha256">Lower-case hex SHA-256 of <paramref name="Markdown"/> in UTF-8.</param>
/// <param name="HasFrontMatter">Whether the file opened with a <c>---</c> front matter block.</param>
/// <param name="Locale">The front matter's <c>locale</c>; null when absent.</param>
/// <param name="Kind">The front matter's <c>kind</c> (<c>material</c>, <c>minor</c> or <c>notice</c>); null when absent.</param>
/// <param name="Effective">The front matter's <c>effective</c> (ISO-8601 with Z or an offset); null when absent.</param>
/// <param name="Summary">The front matter's <c>summary</c>: what changed, in this locale; null when absent.</param>
/// <param name="Draft">Hugo's <c>draft</c>; a draft cannot be published.</param>
/// <param name="Description">Hugo's <c>description</c>; kept, not shown by Keycloak.</param>
/// <param name="Image">Hugo's <c>image</c>; kept, not used.</param>
/// <param name="Date">Hugo's <c>date</c>, as written; kept, not used (publication time comes from the clock).</param>
/// <param name="OtherFields">
/// Front matter fields IdpBridge does not know (<c>page_header_bg</c>...), by name, each as its YAML text; kept so
/// nothing the author wrote is lost, and otherwise ignored.
/// </param>
public sealed record PolicyDocument(
    string SourceName,
    string Title,
    string Markdown,
    string Sha256,
    bool HasFrontMatter,
    string? Locale,
    PolicyVersionKind? Kind,
    DateTimeOffset? Effective,
    string? Summary,
    bool Draft,
    string? Description,
    string? Image,
    string? Date,
    IReadOnlyDictionary<string, string> OtherFields);

/// <summary>A policy source file or a set of them that cannot be read or published, with the place to fix.</summary>
public sealed class PolicyDocumentException : Exception
{
    /// <summary>Creates the exception; the message names <paramref name="sourceName"/> and, when known, the line.</summary>
    /// <param name="sourceName">The file (or name) at fault; null when the problem is not one file's.</param>
    /// <param name="line">1-based line in that file; null when the problem has no line.</param>
    /// <param name="problem">What is wrong and what to do, without the file name.</param>
    public PolicyDocumentException(string? sourceName, int? line, string problem)
        : base(Format(sourceName, line, problem))
    {
        SourceName = sourceName;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file at fault; null when the problem is not one file's.</summary>
    public string? SourceName { get; }

    /// <summary>1-based line in <see cref="SourceName"/>; null when there is none.</summary>
    public int? Line { get; }

    /// <summary>The message without the file and line prefix.</summary>
    public string Problem { get; }

    private static string Format(string? sourceName, int? line, string problem) => (sourceName, line) switch
    {
        (null, _) => problem,
        (_, null) => $"{sourceName}: {problem}",
        _ => $"{sourceName}:{line}: {problem}",
    };
}
