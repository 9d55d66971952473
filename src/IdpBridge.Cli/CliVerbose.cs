using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using IdpBridge.Cli.Rollouts;
using IdpBridge.Core.Storage;
using IdpBridge.Keycloak.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdpBridge.Cli;

/// <summary>
/// <c>--verbose</c>, on every command: which store the command uses, and each HTTP request to Keycloak as it ends
/// (method, path and query, status or failure, time), one line each on standard error, and each change of the cap
/// on requests in flight with its reason. Never a header, a token, a secret or a body: a request's query holds realm
/// names, user ids and search terms only.
/// </summary>
internal static class CliVerbose
{
    /// <summary>The option, given to the root command and seen by every subcommand.</summary>
    public static Option<bool> Option { get; } = new("--verbose")
    {
        Description = "say which store is used and print each HTTP request to Keycloak (method, path, status, time; never tokens or secrets) on standard error",
        Recursive = true,
    };

    /// <summary>Adds request tracing to every HTTP client of <paramref name="services"/> when <c>--verbose</c> was given.</summary>
    public static void AddTo(IServiceCollection services, ParseResult parseResult, TextWriter error)
    {
        if (!parseResult.GetValue(Option))
        {
            return;
        }

        // Registered after the clients' own configuration, so the handler is the innermost: each attempt, retries
        // included, is its own line, timed on the wire.
        services.ConfigureAll<HttpClientFactoryOptions>(options =>
            options.HttpMessageHandlerBuilderActions.Add(builder => builder.AdditionalHandlers.Add(new TraceHandler(error))));
        services.AddLogging(logging => logging
            .AddProvider(new ThrottleLines(error))
            .AddFilter<ThrottleLines>(typeof(KeycloakThrottle).FullName, LogLevel.Information));
    }

    /// <summary>Says which store the command uses, when <c>--verbose</c> was given.</summary>
    public static async Task DescribeStoreAsync(ParseResult parseResult, IServiceProvider services, TextWriter error)
    {
        if (parseResult.GetValue(Option))
        {
            var store = services.GetRequiredService<IOptions<IdpBridgeStorageOptions>>().Value;
            await error.WriteLineAsync($"store: {store.Describe()} (IdpBridge__Storage__*)").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The throttle's log lines (its only messages are the cap's changes, with the reason as a code and the facts as
    /// fields), in words as <c>rollout status</c> says them: <c>throttle: in flight 16 → 12: latency 41 ms, ...</c>.
    /// </summary>
    private sealed class ThrottleLines(TextWriter error) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName == typeof(KeycloakThrottle).FullName ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (error)
            {
                error.WriteLine($"throttle: {(Change(state) is { } change ? InFlightText.Line(change) : formatter(state, exception))}");
            }
        }

        public void Dispose()
        {
        }

        /// <summary>The change a throttle log entry is about, from its fields; null when it is not one.</summary>
        private static ThrottleChange? Change<TState>(TState state)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                return null;
            }

            object? Field(string name) => fields.FirstOrDefault(field => field.Key == name).Value;
            return Field("From") is int from && Field("To") is int to && ThrottleReasonCodes.FromCode(Field("Reason") as string) is { } reason
                ? new ThrottleChange(
                    default, from, to, reason, Field("LatencyMs") as double?, Field("CalmestMs") as double?,
                    Field("AnswersPerSecond") as double?, Field("BelowAnswersPerSecond") as double?)
                : null;
        }
    }

    private sealed class TraceHandler(TextWriter error) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var target = $"{request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Authority)}{request.RequestUri?.PathAndQuery}";
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                Write($"http: {target} {(int)response.StatusCode} {Milliseconds(clock)}");
                return response;
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                Write($"http: {target} failed after {Milliseconds(clock)}: {exception.Message}");
                throw;
            }
        }

        private static string Milliseconds(Stopwatch clock) => string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalMilliseconds:0} ms");

        private void Write(string line)
        {
            // Requests run in parallel (a rollout's writers): one line at a time.
            lock (error)
            {
                error.WriteLine(line);
            }
        }
    }
}
