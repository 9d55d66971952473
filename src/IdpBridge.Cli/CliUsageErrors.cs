using System.CommandLine;
using System.CommandLine.Parsing;

namespace IdpBridge.Cli;

/// <summary>
/// The lines a usage error prints (exit 64): System.CommandLine's message, with the option or argument it is about
/// named when the message itself does not (<c>--output: Argument 'yaml' not recognized...</c>; <c>missing the argument
/// &lt;path&gt; of 'realm plan'</c> instead of "Required argument missing for command: 'plan'").
/// </summary>
internal static class CliUsageErrors
{
    public static IEnumerable<string> Describe(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        foreach (var error in parseResult.Errors)
        {
            yield return error.SymbolResult switch
            {
                OptionResult option => Named(option.Option.Name, error.Message),
                ArgumentResult { Parent: OptionResult owner } => Named(owner.Option.Name, error.Message),
                ArgumentResult argument => Named($"<{argument.Argument.Name}>", error.Message),
                CommandResult command when MissingArgument(command) is { } missing =>
                    $"missing the argument <{missing.Name}> of '{Path(command)}': {missing.Description}",
                _ => error.Message,
            };
        }
    }

    private static string Named(string name, string message) =>
        message.Contains(name, StringComparison.Ordinal) ? message : $"{name}: {message}";

    private static Argument? MissingArgument(CommandResult command) =>
        command.Command.Arguments.FirstOrDefault(argument =>
            argument.Arity.MinimumNumberOfValues > 0 && (command.GetResult(argument) is not { } given || given.Tokens.Count < argument.Arity.MinimumNumberOfValues));

    private static string Path(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is CommandResult { Parent: not null } current; result = current.Parent)
        {
            names.Insert(0, current.Command.Name);
        }

        return string.Join(' ', names);
    }
}
