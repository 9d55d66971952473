using IdpBridge.Service.Startup;

return await ServiceStartup.RunAsync(args, Console.Error).ConfigureAwait(false);

/// <summary>The entry point, visible to the service's tests (WebApplicationFactory).</summary>
public partial class Program;
