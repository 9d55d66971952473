using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IdpBridge.Service.Tests;

/// <summary>The service's log lines, by category and level.</summary>
internal sealed class LogCapture(LogLevel least = LogLevel.Warning) : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> lines = new();

    public int Count(Type category, LogLevel level, string contains) =>
        lines.Count(line => line.Category == category.FullName && line.Level == level && line.Message.Contains(contains, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, least, lines);

    public void Dispose()
    {
    }

    public override string ToString() =>
        string.Join(Environment.NewLine, lines.Select(line => $"{line.Level} {line.Category}: {line.Message}"));

    private sealed class Logger(string category, LogLevel least, ConcurrentQueue<(string, LogLevel, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= least;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue((category, logLevel, formatter(state, exception)));
            }
        }
    }
}
