using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace IdpBridge.Service.Startup;

/// <summary>Which exceptions at start-up are a setting's fault, and the messages that name it.</summary>
internal static partial class StartupFailure
{
    /// <summary>
    /// The messages of <paramref name="exception"/> when it is a setting's fault (each names the setting); empty for
    /// anything else, which is a bug and keeps its stack trace.
    /// </summary>
    public static IReadOnlyList<string> Messages(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Messages).ToList(),
        // Every failure of every options class, each once ("A; B" is how OptionsValidationException joins them).
        OptionsValidationException validation => validation.Failures.Select(WithoutMemberName).Distinct(StringComparer.Ordinal).ToList(),
        ListenAddressException listen => [listen.Message],
        // The configuration binder's "Failed to convert configuration value 'x' at 'IdpBridge:...' to type ...".
        InvalidOperationException binding when binding.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            [WithEnumValues(binding.Message)],
        _ => [],
    };

    /// <summary>"TimeZone: IdpBridge:Policies:TimeZone must..." (data annotations name the member first): the message alone, which names the setting.</summary>
    private static string WithoutMemberName(string failure) =>
        MemberPrefix().Match(failure) is { Success: true } match ? match.Groups[1].Value : failure;

    /// <summary>The binder names the enum type a value did not convert to: say which values it takes.</summary>
    private static string WithEnumValues(string message)
    {
        var typeName = TargetType().Match(message) is { Success: true } match ? match.Groups[1].Value : null;
        var type = typeName is null ? null : AppDomain.CurrentDomain.GetAssemblies().Select(assembly => assembly.GetType(typeName)).FirstOrDefault(found => found is not null);
        return type is { IsEnum: true }
            ? $"{message} It must be one of: {string.Join(", ", Enum.GetNames(type).Select(name => name.ToLowerInvariant()))}."
            : message;
    }

    [GeneratedRegex(@"^[A-Za-z]+: (IdpBridge:.*)$", RegexOptions.Singleline)]
    private static partial Regex MemberPrefix();

    [GeneratedRegex(@"to type '([A-Za-z0-9_.]+)'")]
    private static partial Regex TargetType();
}
