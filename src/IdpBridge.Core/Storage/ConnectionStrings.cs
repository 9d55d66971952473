using System.Text.RegularExpressions;
using Npgsql;

namespace IdpBridge.Core.Storage;

/// <summary>Makes PostgreSQL connection strings and the messages about them fit to print.</summary>
internal static partial class ConnectionStrings
{
    private const string Mask = "***";

    /// <summary>The connection string with its password replaced by <c>***</c>; a placeholder when it does not parse.</summary>
    public static string MaskPassword(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!string.IsNullOrEmpty(builder.Password))
            {
                builder.Password = Mask;
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "(a connection string that does not parse)";
        }
    }

    /// <summary>
    /// <paramref name="message"/> with every password found in <paramref name="connectionString"/> replaced by
    /// <c>***</c>. Works on strings that do not parse too, since those are the ones whose errors quote them.
    /// </summary>
    public static string Scrub(string message, string connectionString)
    {
        foreach (var secret in Secrets(connectionString))
        {
            message = message.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return message;
    }

    private static IEnumerable<string> Secrets(string connectionString)
    {
        foreach (Match match in PasswordPattern().Matches(connectionString))
        {
            var value = match.Groups["value"].Value.Trim();
            if (value.Length > 1 && value[0] is '"' or '\'' && value[^1] == value[0])
            {
                yield return value;
                value = value[1..^1];
            }

            if (value.Length > 0)
            {
                yield return value;
            }
        }
    }

    // Password, Pwd and their misspellings: a typo in the keyword is exactly what makes a string fail to parse.
    [GeneratedRegex(@"(?:^|;)\s*[^;=]*(?:pass|pwd)[^;=]*=(?<value>""[^""]*""|'[^']*'|[^;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordPattern();
}
