using System.CommandLine;
using System.Globalization;
using IdpBridge.Core.Policies;

namespace IdpBridge.Cli;

/// <summary>
/// The one parser of every time option (<c>policy publish --effective</c>, <c>ledger export --from/--to</c>): ISO-8601
/// with <c>Z</c> or an offset (<c>2026-01-31T12:00:00Z</c>, <c>2026-01-31T09:00:00-03:00</c>), or a date alone
/// (<c>2026-01-31</c>), which is midnight UTC. A time without a zone is refused by every option: it would mean
/// another instant on each machine. A bad value is a usage error (exit 64).
/// </summary>
internal static class CliTime
{
    /// <summary>An option <paramref name="name"/> that takes a time as above.</summary>
    public static Option<DateTimeOffset?> Option(string name, string description) => new(name)
    {
        Description = description + " (ISO-8601 with Z or an offset, or a date alone: midnight UTC)",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (TryParse(text, out var value, out var problem))
            {
                return value;
            }

            result.AddError($"{name} must be an ISO-8601 date or time with a zone (2026-01-31, 2026-01-31T12:00:00Z or 2026-01-31T09:00:00-03:00), not '{text}'{problem}.");
            return null;
        },
    };

    /// <summary>Parses <paramref name="text"/> by the rule above; <paramref name="problem"/> says more when the text lacks a zone.</summary>
    public static bool TryParse(string text, out DateTimeOffset value, out string problem)
    {
        problem = "";
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        if (PolicyDocumentReader.TryParseEffective(text, out value, out var reason))
        {
            return true;
        }

        if (reason is not null && reason.Contains("no time zone", StringComparison.Ordinal))
        {
            problem = ": it has no time zone";
        }

        return false;
    }
}
