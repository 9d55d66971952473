using System.Globalization;
using System.Text;

namespace IdpBridge.Core.Realms;

/// <summary>
/// One problem found in a realm config file: where it is (file, JSON path, 1-based line and column) and why.
/// <see cref="ToString"/> gives the one-line form <c>file:line:col: $.path: reason</c> that compilers and editors
/// understand; parts that are not known are left out.
/// </summary>
/// <param name="File">The file as the caller named it (a directory path is shown as <c>dir/realm.json</c>).</param>
/// <param name="JsonPath">Where in the document, e.g. <c>$.identityProviders[0].config.clientSecret</c>; null for a problem with the whole file.</param>
/// <param name="Line">1-based line of the value concerned (or of its nearest enclosing value when it is missing).</param>
/// <param name="Column">1-based column, counted in characters.</param>
/// <param name="Reason">What is wrong. Never holds a secret or a value read from the environment.</param>
public sealed record RealmConfigDiagnostic(string File, string? JsonPath, int? Line, int? Column, string Reason)
{
    /// <summary>The diagnostic as <c>file:line:col: $.path: reason</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(File);
        if (Line is { } line)
        {
            text.Append(CultureInfo.InvariantCulture, $":{line}");
            if (Column is { } column)
            {
                text.Append(CultureInfo.InvariantCulture, $":{column}");
            }
        }

        text.Append(": ");
        if (JsonPath is not null)
        {
            text.Append(JsonPath).Append(": ");
        }

        return text.Append(Reason).ToString();
    }
}
