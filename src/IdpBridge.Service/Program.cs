using IdpBridge.Service;

var app = WebApplication.CreateBuilder(args).AddIdpBridgeService().Build();
app.MapIdpBridge();
app.Run();

/// <summary>The entry point, visible to the service's tests (WebApplicationFactory).</summary>
public partial class Program;
