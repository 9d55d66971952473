namespace IdpBridge.Testing.Browser;

/// <summary>How a <see cref="BrowserSession"/> presents itself to pages.</summary>
public sealed record BrowserSessionOptions
{
    /// <summary>Viewport width in CSS pixels (default 1024).</summary>
    public int Width { get; init; } = 1024;

    /// <summary>Viewport height in CSS pixels (default 768); screenshots of the viewport are this size.</summary>
    public int Height { get; init; } = 768;

    /// <summary>The browser's language (<c>Accept-Language</c>, <c>navigator.language</c>); default <c>en-US</c>.</summary>
    public string Locale { get; init; } = "en-US";

    /// <summary>How long an action or a wait may take before it fails (default 30 s: Keycloak shares two cores here).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
