using System.Text.RegularExpressions;
using IdpBridge.Core;
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
        _ when SettingFailure.IsUnconvertibleValue(exception) => [SettingFailure.Describe(exception)],
        _ => [],
    };

    /// <summary>"TimeZone: IdpBridge:Policies:TimeZone must..." (data annotations name the member first): the message alone, which names the setting.</summary>
    private static string WithoutMemberName(string failure) =>
        MemberPrefix().Match(failure) is { Success: true } match ? match.Groups[1].Value : failure;

    [GeneratedRegex(@"^[A-Za-z]+: (IdpBridge:.*)$", RegexOptions.Singleline)]
    private static partial Regex MemberPrefix();
}
