using Microsoft.AspNetCore.Routing;

namespace IdpBridge.Service.Diagnostics;

/// <summary>
/// One log line per request naming the route template (<c>/api/admin/realms/{realm}/ledger/users/{user}</c>), never
/// the path with its user ids and names, nor the query. ASP.NET Core's own request logs, and the <c>RequestPath</c>
/// scope they add to every line of the request, carry both: they are turned off.
/// </summary>
internal static partial class RequestLogging
{
    private const string Category = "IdpBridge.Service.Requests";

    public static ILoggingBuilder AddIdpBridgeRequestLogging(this ILoggingBuilder logging)
    {
        // The hosting diagnostics logger writes "Request starting GET http://host/path?query" and opens the RequestPath
        // scope only while it is enabled at some level; None turns off both.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // HttpClient's Information lines name every Keycloak URL, user ids included; its warnings and errors stay.
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        return logging;
    }

    public static void UseIdpBridgeRequestLogging(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        var time = app.Services.GetRequiredService<TimeProvider>();
        app.Use(async (context, next) =>
        {
            var started = time.GetTimestamp();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                LogRequest(logger, context.Request.Method, route, context.Response.StatusCode, time.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Route} answered {StatusCode} in {ElapsedMilliseconds:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string method, string route, int statusCode, double elapsedMilliseconds);
}
