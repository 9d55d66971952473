using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace IdpBridge.Service.Tests;

/// <summary>Request logs name the route template, never the path with its ids nor the query.</summary>
public sealed class RequestLoggingTests
{
    [Test]
    public async Task RequestLog_PathWithAUserIdAndQuery_NamesTheRouteTemplateOnly()
    {
        using var harness = new ServiceHarness();
        var logs = new CapturingLoggerProvider();
        using var factory = harness.Factory.WithWebHostBuilder(host => host.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(logs)));
        using var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", harness.AdminToken());

        using var response = await admin.GetAsync("/api/admin/realms/externos/ledger/users/2f0c9a77-maria?secret=q-value");

        Assert.That(response.IsSuccessStatusCode, Is.True);
        var lines = logs.Lines.ToList();
        Assert.That(lines, Has.None.Contains("2f0c9a77-maria").And.None.Contains("q-value"), string.Join("\n", lines));
        Assert.That(lines, Has.Some.Contains("/api/admin/realms/{realm}/ledger/users/{user}").And.Contains("200"));
    }

    /// <summary>Every message with every scope it was written in, as the JSON console shows them.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider.scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new System.Text.StringBuilder($"{category}: {formatter(state, exception)}");
                provider.scopes.ForEachScope((scope, text) => text.Append(" | ").Append(scope), line);
                provider.Lines.Enqueue(line.ToString());
            }
        }
    }
}
