using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace IdpBridge.Cli;

/// <summary>
/// Range rules of numeric options, checked while parsing so that a value out of range is a usage error (exit 64) naming
/// the option, like a value that is no number at all. The rule reads the token itself: asking the option for its value
/// inside a validator throws when the token is no number (a stack trace instead of the parser's own message).
/// </summary>
internal static class CliRange
{
    /// <summary>Refuses a value of <paramref name="option"/> outside <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Option<int> Between(this Option<int> option, int min, int max, string what = "")
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result => CheckInteger(result, option.Name, min, max, what));
        return option;
    }

    /// <inheritdoc cref="Between(Option{int}, int, int, string)"/>
    public static Option<int?> Between(this Option<int?> option, int min, int max, string what = "")
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result => CheckInteger(result, option.Name, min, max, what));
        return option;
    }

    /// <summary>Refuses a value of <paramref name="option"/> below <paramref name="min"/>.</summary>
    public static Option<double?> AtLeast(this Option<double?> option, double min, string what = "")
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            if (Token(result) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !(value >= min))
            {
                result.AddError($"{option.Name} must be {min.ToString(CultureInfo.InvariantCulture)} or more{what}, not {text}.");
            }
        });
        return option;
    }

    private static void CheckInteger(OptionResult result, string name, int min, int max, string what)
    {
        if (Token(result) is { } text && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && (value < min || value > max))
        {
            result.AddError(max == int.MaxValue
                ? $"{name} must be {min} or more{what}, not {text}."
                : $"{name} must be between {min} and {max}{what}, not {text}.");
        }
    }

    private static string? Token(OptionResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
}
