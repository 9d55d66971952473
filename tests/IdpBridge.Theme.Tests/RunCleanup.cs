using IdpBridge.Theme.Tests.FreeMarker;

namespace IdpBridge.Theme.Tests;

/// <summary>Removes what the run left in temporary folders (the compiled renderer).</summary>
[SetUpFixture]
public sealed class RunCleanup
{
    [OneTimeTearDown]
    public void DeleteCompiledRenderer() => FreeMarkerRenderer.DeleteCompiled();
}
