using System.Net;
using Microsoft.Playwright;

namespace IdpBridge.Testing.Browser;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright: one browser per test process, started on first use and closed
/// when the process exits; each test gets a fresh, isolated context of it (<see cref="BrowserSession"/>).
/// </summary>
/// <remarks>
/// Playwright runs its bundled driver (Node.js, shipped inside the NuGet package) and launches the browser at
/// <see cref="DefaultPath"/>: nothing is downloaded. As root Chromium needs <c>--no-sandbox</c>; the background
/// networking flags keep Chromium itself from calling out (this machine's closed network refuses it, many times at
/// each start). As a second guard, <c>--host-resolver-rules</c> makes every host name but localhost unresolvable, so
/// a page that tries to reach outside fails here and sends nothing out; the request is still reported
/// (<see cref="BrowserSession.RequestsLeavingMachine"/>), which is what tests assert on.
/// </remarks>
public static class Chromium
{
    /// <summary>Where Debian's <c>chromium</c> package installs the browser.</summary>
    public const string DefaultPath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--disable-default-apps", "--disable-domain-reliability", "--metrics-recording-only", "--disable-dev-shm-usage",
        "--hide-scrollbars", "--mute-audio",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
    ];

    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static IPlaywright? playwright;
    private static IBrowser? browser;

    /// <summary>The browser at <paramref name="path"/> (default <c>IDPBRIDGE_CHROMIUM</c>, else <see cref="DefaultPath"/>), or a failure saying how to install it.</summary>
    public static string FindExecutable(string? path = null)
    {
        path ??= Environment.GetEnvironmentVariable("IDPBRIDGE_CHROMIUM") is { Length: > 0 } configured ? configured : DefaultPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Chromium was not found at {path}; the browser tests need it. Run scripts/setup.sh (it installs Debian's " +
                "package chromium, listed in scripts/debian-packages.txt), or set IDPBRIDGE_CHROMIUM to a Chromium executable.", path);
        }

        return path;
    }

    /// <summary>True for URLs that stay on this machine: loopback hosts, and schemes with no network (data:, blob:, about:).</summary>
    public static bool StaysOnMachine(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (uri.Scheme is "data" or "blob" or "about")
        {
            return true;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>The browser shared by this process's tests, launched on first call.</summary>
    public static async Task<IBrowser> SharedAsync()
    {
        await StartLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (browser is { IsConnected: true })
            {
                return browser;
            }

            var executable = FindExecutable();
            playwright ??= await Playwright.CreateAsync().ConfigureAwait(false);
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            }).ConfigureAwait(false);
            AppDomain.CurrentDomain.ProcessExit -= CloseAtExit;
            AppDomain.CurrentDomain.ProcessExit += CloseAtExit;
            return browser;
        }
        finally
        {
            StartLock.Release();
        }
    }

    // Closing the browser here, not only when the driver notices its parent is gone, leaves no Chromium behind
    // after a normal end of the test run.
    private static void CloseAtExit(object? sender, EventArgs e)
    {
        try
        {
            browser?.CloseAsync().Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }

        playwright?.Dispose();
    }
}
