using System.Globalization;
using System.Net;
using DelayProxy;

// DelayProxy <listen-port> <upstream-url> <delay-ms>: forwards every HTTP request to the upstream, waiting <delay-ms>
// before forwarding the request and again before answering (the same latency each way), over keep-alive connections
// on both sides with no cap on concurrency. GET /__proxy/stats answers the requests counted so far, by method.
if (args.Length != 3)
{
    await Console.Error.WriteLineAsync("usage: DelayProxy <listen-port> <upstream-url> <delay-ms>");
    return 64;
}

var port = int.Parse(args[0], CultureInfo.InvariantCulture);
var upstream = new Uri(args[1].TrimEnd('/') + "/");
var delay = TimeSpan.FromMilliseconds(double.Parse(args[2], CultureInfo.InvariantCulture));

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxConcurrentConnections = null;
    kestrel.Limits.MaxRequestBodySize = null;
    kestrel.Listen(IPAddress.Loopback, port);
});

var counts = new RequestCounts();
using var forwarder = new Forwarder(upstream, delay, counts);
await using var app = builder.Build();
app.Run(context => context.Request.Path == "/__proxy/stats" ? context.Response.WriteAsync(counts.ToString()) : forwarder.ForwardAsync(context));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DelayProxy on http://127.0.0.1:{port} -> {upstream} (+{delay.TotalMilliseconds} ms each way)"));
await app.RunAsync();
return 0;
