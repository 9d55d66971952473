using System.Text.RegularExpressions;
using IdpBridge.Core.Ledger;
using IdpBridge.Core.Storage;

namespace IdpBridge.Core;

/// <summary>
/// A setting whose value the configuration binder could not convert (<c>IdpBridge__Keycloak__MaxInFlight=abc</c>): a
/// person's mistake, said in one line naming the setting, by the CLI and the service alike, never as a stack trace.
/// </summary>
public static partial class SettingFailure
{
    /// <summary>The settings whose values are a choice of words: a failed one is told the words it takes.</summary>
    private static readonly Type[] Choices = [typeof(StorageProvider), typeof(EventsQueryMode)];

    /// <summary>Whether <paramref name="exception"/> is the binder's "Failed to convert configuration value 'x' at 'IdpBridge:...' to type ...".</summary>
    public static bool IsUnconvertibleValue(Exception exception) =>
        exception is InvalidOperationException && exception.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal);

    /// <summary>The binder's message, which names the setting and the value, with the words a choice takes.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        var typeName = TargetType().Match(message) is { Success: true } match ? match.Groups[1].Value : null;
        return Choices.FirstOrDefault(type => type.FullName == typeName) is { } choice
            ? $"{message} It must be one of: {string.Join(", ", Enum.GetNames(choice).Select(name => name.ToLowerInvariant()))}."
            : message;
    }

    [GeneratedRegex(@"to type '([A-Za-z0-9_.]+)'")]
    private static partial Regex TargetType();
}
