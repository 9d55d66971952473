using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace IdpBridge.Testing.Browser;

/// <summary>
/// Opens a page in Debian's Chromium, headless, and reports what a person's browser would show and do: a screenshot,
/// the console errors, and every request the page made (so a test can assert none left the machine).
/// </summary>
/// <remarks>
/// Driven over the DevTools protocol (<c>--remote-debugging-port</c>, one WebSocket) rather than with
/// <c>--screenshot</c> plus <c>--enable-logging=stderr</c>: the protocol gives structured events
/// (<c>Network.requestWillBeSent</c> for every request, <c>Runtime.consoleAPICalled</c>,
/// <c>Runtime.exceptionThrown</c> and <c>Log.entryAdded</c> for errors, including failed resource loads), says when the
/// page has loaded instead of guessing with a virtual-time budget, and the screenshot comes from the same load. Stderr
/// logging mixes the browser's own noise with the page's messages and its format changes between releases.
/// As a second guard, <c>--host-resolver-rules</c> makes every host name except localhost unresolvable, so a page
/// (or Chromium itself) that tries to reach outside fails on this machine and sends nothing out; the request is
/// still reported, which is what the tests assert on.
/// </remarks>
public static class HeadlessChromium
{
    /// <summary>Where Debian's <c>chromium</c> package installs the browser.</summary>
    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>Opens <paramref name="page"/> in a fresh headless Chromium and reports on it.</summary>
    public static async Task<PageVisit> VisitAsync(Uri page, PageVisitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        options ??= new PageVisitOptions();
        var browserPath = FindBrowser(options.BrowserPath);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);

        var profile = Directory.CreateTempSubdirectory("idpbridge-chromium-");
        using var process = Start(browserPath, profile.FullName, out var stderr);
        try
        {
            var endpoint = await WaitForDevToolsAsync(process, profile.FullName, stderr, timeout.Token).ConfigureAwait(false);
            await using var devTools = new DevToolsConnection();
            await devTools.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            return await VisitWithAsync(devTools, page, options, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Chromium did not load {page} within {options.Timeout}. Its stderr:\n{stderr}");
        }
        finally
        {
            await StopAsync(process).ConfigureAwait(false);
            TryDelete(profile);
        }
    }

    /// <summary>The browser at <paramref name="path"/> (default <see cref="DefaultPath"/>), or a failure naming the package.</summary>
    public static string FindBrowser(string? path = null)
    {
        path ??= Environment.GetEnvironmentVariable("IDPBRIDGE_CHROMIUM") ?? DefaultPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Chromium was not found at {path}. Install Debian's package: apt-get install chromium " +
                "(it is listed in scripts/debian-packages.txt; scripts/setup.sh installs it).", path);
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

    private static Process Start(string browserPath, string profile, out StringWriterLog stderr)
    {
        var start = new ProcessStartInfo(browserPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--disable-extensions", "--disable-default-apps", "--disable-domain-reliability",
                     "--metrics-recording-only", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
                     "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                     $"--user-data-dir={profile}", "about:blank",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{browserPath} did not start.");
        var log = new StringWriterLog();
        process.ErrorDataReceived += (_, e) => log.Add(e.Data);
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        stderr = log;
        return process;
    }

    // Chromium writes the port it chose and the browser endpoint's path to DevToolsActivePort in the profile once the
    // endpoint listens: more dependable than parsing "DevTools listening on" from stderr.
    private static async Task<Uri> WaitForDevToolsAsync(Process process, string profile, StringWriterLog stderr, CancellationToken cancellationToken)
    {
        var file = Path.Combine(profile, "DevToolsActivePort");
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Chromium exited with code {process.ExitCode} before DevTools listened. Its stderr:\n{stderr}");
            }

            if (File.Exists(file))
            {
                var lines = await File.ReadAllLinesAsync(file, cancellationToken).ConfigureAwait(false);
                if (lines.Length >= 2 && int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                {
                    return new Uri($"ws://127.0.0.1:{port}{lines[1]}");
                }
            }

            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<PageVisit> VisitWithAsync(DevToolsConnection devTools, Uri page, PageVisitOptions options, CancellationToken cancellationToken)
    {
        var requests = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastActivity = Stopwatch.StartNew();
        string? session = null;

        devTools.EventReceived += (method, data, sessionId) =>
        {
            if (sessionId is null || sessionId != Volatile.Read(ref session))
            {
                return;
            }

            switch (method)
            {
                case "Network.requestWillBeSent":
                    requests.Enqueue(data["request"]?["url"]?.GetValue<string>() ?? "");
                    lastActivity.Restart();
                    break;
                case "Network.loadingFinished" or "Network.loadingFailed":
                    lastActivity.Restart();
                    break;
                case "Runtime.consoleAPICalled" when data["type"]?.GetValue<string>() is "error" or "assert":
                    errors.Enqueue("console." + data["type"] + ": " + string.Join(" ", (data["args"] as JsonArray ?? [])
                        .Select(a => a?["value"]?.ToString() ?? a?["description"]?.ToString() ?? "")));
                    break;
                case "Runtime.exceptionThrown":
                    var details = data["exceptionDetails"];
                    errors.Enqueue("uncaught: " + (details?["exception"]?["description"] ?? details?["text"]));
                    break;
                case "Log.entryAdded" when data["entry"] is JsonObject entry && entry["level"]?.GetValue<string>() == "error":
                    errors.Enqueue(("log (" + entry["source"] + "): " + entry["text"] + " " + entry["url"]).TrimEnd());
                    break;
                case "Page.loadEventFired":
                    loaded.TrySetResult();
                    break;
            }
        };

        var target = await devTools.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, null, cancellationToken).ConfigureAwait(false);
        var attached = await devTools.SendAsync(
            "Target.attachToTarget",
            new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true },
            null,
            cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref session, attached["sessionId"]!.GetValue<string>());

        foreach (var domain in new[] { "Page.enable", "Runtime.enable", "Log.enable", "Network.enable" })
        {
            await devTools.SendAsync(domain, null, session, cancellationToken).ConfigureAwait(false);
        }

        await devTools.SendAsync(
            "Emulation.setDeviceMetricsOverride",
            new JsonObject { ["width"] = options.Width, ["height"] = options.Height, ["deviceScaleFactor"] = 1, ["mobile"] = false },
            session,
            cancellationToken).ConfigureAwait(false);

        var navigation = await devTools.SendAsync("Page.navigate", new JsonObject { ["url"] = page.ToString() }, session, cancellationToken).ConfigureAwait(false);
        if (navigation["errorText"]?.GetValue<string>() is { Length: > 0 } navigationError)
        {
            throw new InvalidOperationException($"Chromium could not open {page}: {navigationError}");
        }

        await loaded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

        // After the load event a page may still fetch (lazy images, scripts that call out): wait until the network
        // has been quiet for a moment so those requests are reported too.
        while (lastActivity.Elapsed < options.NetworkQuietPeriod)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        var shot = await devTools.SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, session, cancellationToken).ConfigureAwait(false);
        var png = Convert.FromBase64String(shot["data"]!.GetValue<string>());

        try
        {
            await devTools.SendAsync("Browser.close", null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Net.WebSockets.WebSocketException)
        {
            // The browser may drop the connection before it answers Browser.close; StopAsync makes sure it is gone.
        }

        var all = requests.ToArray();
        return new PageVisit(page, png, errors.ToArray(), all, all.Where(u => !StaysOnMachine(u)).ToArray());
    }

    private static async Task StopAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try
                {
                    await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Only this browser's own process tree (it was started here), never anything else by name.
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class StringWriterLog
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is not null && _lines.Count < 200)
            {
                _lines.Enqueue(line);
            }
        }

        public override string ToString() => string.Join('\n', _lines);
    }
}

/// <summary>How <see cref="HeadlessChromium.VisitAsync"/> opens a page.</summary>
public sealed record PageVisitOptions
{
    /// <summary>Viewport width in CSS pixels (default 1024).</summary>
    public int Width { get; init; } = 1024;

    /// <summary>Viewport height in CSS pixels (default 768); the screenshot is this size.</summary>
    public int Height { get; init; } = 768;

    /// <summary>How long the network must be idle after the load event before the page is judged (default 300 ms).</summary>
    public TimeSpan NetworkQuietPeriod { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Start, load and screenshot together must finish within this (default 30 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The browser executable; default <c>IDPBRIDGE_CHROMIUM</c> or <see cref="HeadlessChromium.DefaultPath"/>.</summary>
    public string? BrowserPath { get; init; }
}

/// <summary>What happened when a page was opened.</summary>
/// <param name="Page">The page opened.</param>
/// <param name="ScreenshotPng">The viewport as a PNG.</param>
/// <param name="ConsoleErrors">console.error/assert calls, uncaught exceptions, and browser log errors (such as a failed resource load).</param>
/// <param name="Requests">Every request the page made, the page itself first.</param>
/// <param name="RequestsLeavingMachine">Those of <paramref name="Requests"/> addressed to anything but this machine.</param>
public sealed record PageVisit(
    Uri Page,
    byte[] ScreenshotPng,
    IReadOnlyList<string> ConsoleErrors,
    IReadOnlyList<string> Requests,
    IReadOnlyList<string> RequestsLeavingMachine);
