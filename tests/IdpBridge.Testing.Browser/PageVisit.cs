namespace IdpBridge.Testing.Browser;

/// <summary>What happened when a page was opened (<see cref="BrowserSession.VisitAsync"/>).</summary>
/// <param name="Page">The page opened.</param>
/// <param name="Status">The HTTP status of the page itself.</param>
/// <param name="ScreenshotPng">The viewport as a PNG.</param>
/// <param name="ConsoleErrors">console.error/assert calls, uncaught exceptions, and browser errors (such as a failed resource load).</param>
/// <param name="Requests">Every request the session made, the page itself among them.</param>
/// <param name="RequestsLeavingMachine">Those of <paramref name="Requests"/> addressed to anything but this machine.</param>
public sealed record PageVisit(
    Uri Page,
    int Status,
    byte[] ScreenshotPng,
    IReadOnlyList<string> ConsoleErrors,
    IReadOnlyList<string> Requests,
    IReadOnlyList<string> RequestsLeavingMachine);
