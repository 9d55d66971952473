using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace IdpBridge.Testing.Browser;

/// <summary>
/// One test's browser: a fresh context of the shared <see cref="Chromium"/> (its own cookies and storage) with one page,
/// recording what a person's browser would do and show: every request of every page and popup of the context, and
/// every console error, uncaught exception and failed resource load. Dispose it to close the context.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> requests = new();
    private readonly ConcurrentQueue<string> errors = new();

    private BrowserSession(IBrowserContext context)
    {
        Context = context;
        context.Request += (_, request) => requests.Enqueue(request.Url);
        context.Page += (_, page) => Watch(page);
    }

    /// <summary>The Playwright context, for what this class does not wrap.</summary>
    public IBrowserContext Context { get; }

    /// <summary>The session's page (popups are other pages of <see cref="Context"/>).</summary>
    public IPage Page { get; private set; } = null!;

    /// <summary>Every request the context's pages made so far, in order.</summary>
    public IReadOnlyList<string> Requests => requests.ToArray();

    /// <summary>Those of <see cref="Requests"/> addressed to anything but this machine.</summary>
    public IReadOnlyList<string> RequestsLeavingMachine => requests.Where(url => !Chromium.StaysOnMachine(url)).ToArray();

    /// <summary>console.error/assert calls, uncaught exceptions, and the browser's own errors (such as a failed resource load).</summary>
    public IReadOnlyList<string> ConsoleErrors => errors.ToArray();

    /// <summary>Opens a context and its page in the shared browser.</summary>
    public static async Task<BrowserSession> StartAsync(BrowserSessionOptions? options = null)
    {
        options ??= new BrowserSessionOptions();
        var browser = await Chromium.SharedAsync().ConfigureAwait(false);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = options.Locale,
            ViewportSize = new ViewportSize { Width = options.Width, Height = options.Height },
        }).ConfigureAwait(false);
        context.SetDefaultTimeout((float)options.Timeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)options.Timeout.TotalMilliseconds);
        var session = new BrowserSession(context);
        session.Page = await context.NewPageAsync().ConfigureAwait(false);
        return session;
    }

    /// <summary>
    /// Opens <paramref name="page"/>, waits until its network has been idle for half a second (so what the page fetches
    /// after its load event is reported too) and takes a screenshot of the viewport.
    /// </summary>
    public async Task<PageVisit> VisitAsync(Uri page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var response = await Page.GotoAsync(page.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load }).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Chromium got no response for {page}.");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle).ConfigureAwait(false);
        var png = await Page.ScreenshotAsync().ConfigureAwait(false);
        return new PageVisit(page, response.Status, png, ConsoleErrors, Requests, RequestsLeavingMachine);
    }

    /// <summary>
    /// Saves a full-page screenshot of <paramref name="page"/> (default <see cref="Page"/>) as
    /// <c>TestResults/screenshots/{name}.png</c> at the repository root, attaches it to the test, and returns its path.
    /// </summary>
    public async Task<string> KeepScreenshotAsync(string name, string description, IPage? page = null)
    {
        var png = await (page ?? Page).ScreenshotAsync(new PageScreenshotOptions { FullPage = true }).ConfigureAwait(false);
        return Screenshots.Keep(name, png, description);
    }

    /// <summary>Closes the context and its pages.</summary>
    public async ValueTask DisposeAsync() => await Context.CloseAsync().ConfigureAwait(false);

    private void Watch(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "assert")
            {
                errors.Enqueue($"console.{message.Type}: {message.Text} ({message.Location})".Replace(" ()", "", StringComparison.Ordinal));
            }
        };
        page.PageError += (_, error) => errors.Enqueue($"uncaught: {error}");
    }
}
