using System.Collections.Concurrent;
using System.Text;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Storage;

namespace IdpBridge.Service.PublicPages;

/// <summary>
/// The public policy pages that the login theme links to:
/// <c>/policies/{realm}/{policy}</c> (the version in force), <c>/v/{n}</c> (a permalink), <c>/v/{n}/changes</c> (what
/// changed, and a line diff against the previous version), <c>/versions</c> (the list). HTML by default,
/// <c>application/json</c> when asked. No script, one stylesheet from this service, a strict Content-Security-Policy.
/// </summary>
internal static partial class PolicyPages
{
    /// <summary>Longest realm or policy name accepted in a URL; longer is a malformed request (400).</summary>
    public const int MaxNameLength = 255;

    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly byte[] Stylesheet = LoadAsset("policy.css");

    private static readonly byte[] Icon = LoadAsset("icon.svg");

    public static void MapPolicyPages(this WebApplication app)
    {
        app.MapGet("/assets/policy.css", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=86400";
            return TypedResults.Bytes(Stylesheet, "text/css; charset=utf-8");
        });
        app.MapGet("/assets/icon.svg", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=86400";
            return TypedResults.Bytes(Icon, "image/svg+xml");
        });

        var pages = app.MapGroup("/policies/{realm}/{policy}").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            var realm = (string?)http.Request.RouteValues["realm"];
            var policy = (string?)http.Request.RouteValues["policy"];
            if (!IsName(realm) || !IsName(policy))
            {
                return Problem(http, StatusCodes.Status400BadRequest, "Malformed request", "Realm and policy names are 1 to 255 printable characters, without '..'.");
            }

            return await next(context).ConfigureAwait(false);
        });

        pages.MapGet("/", CurrentAsync);
        pages.MapGet("/v/{number:int}", VersionAsync);
        pages.MapGet("/v/{number:int}/changes", ChangesAsync);
        pages.MapGet("/versions", VersionsAsync);

        // Anything else under /policies (a version that is not a number, a path with more segments): a page for
        // people, a problem for programs, never the framework's bare 404.
        app.MapFallback("/policies/{**rest}", (HttpContext http) =>
        {
            http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            return NotFound(http, "There is no policy page at this address.");
        });
    }

    private static async Task<IResult> CurrentAsync(
        string realm, string policy, HttpContext http, EffectiveVersionCache effective, CancellationToken cancellationToken)
    {
        var version = await effective.GetAsync(realm, policy, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return NotFound(http, $"Realm '{realm}' has no policy '{policy}' in force.");
        }

        // The page in force changes when a new version takes effect: cache it briefly only.
        http.Response.Headers.CacheControl = "public, max-age=60";
        return Render(http, version, isCurrent: true, PageKind.Version, null);
    }

    private static async Task<IResult> VersionAsync(
        string realm, string policy, int number, HttpContext http, IPolicyStore store, CancellationToken cancellationToken)
    {
        if (await FindVersionAsync(store, realm, policy, number, cancellationToken).ConfigureAwait(false) is not { } version)
        {
            return NoSuchVersion(http, realm, policy, number);
        }

        // A published version never changes, so its permalink may be cached for good; for that reason it carries no
        // "(current)" mark, which would go stale.
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Render(http, version, isCurrent: false, PageKind.Version, null);
    }

    private static async Task<IResult> ChangesAsync(
        string realm, string policy, int number, HttpContext http, IPolicyStore store, CancellationToken cancellationToken)
    {
        if (await FindVersionAsync(store, realm, policy, number, cancellationToken).ConfigureAwait(false) is not { } version)
        {
            return NoSuchVersion(http, realm, policy, number);
        }

        var previous = await FindVersionAsync(store, realm, policy, number - 1, cancellationToken).ConfigureAwait(false);
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Render(http, version, isCurrent: false, PageKind.Changes, previous);
    }

    private static async Task<IResult> VersionsAsync(
        string realm, string policy, HttpContext http, IPolicyStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var versions = await store.ListAsync(realm, policy, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            return NotFound(http, $"Realm '{realm}' has no policy '{policy}'.");
        }

        var current = await store.GetEffectiveAsync(realm, policy, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var newest = versions[^1];
        var locale = LanguageNegotiation.Choose(http.Request, newest.Texts.Select(text => text.Locale).ToList(), newest.Texts[0].Locale);
        if (locale is null)
        {
            return NotFound(http, $"Policy '{policy}' is not written in {AskedLanguage(http)}.");
        }

        http.Response.Headers.CacheControl = "public, max-age=60";
        // The list is in the language negotiated from Accept-Language, as HTML or JSON by Accept: a shared cache must keep
        // one copy per answer.
        http.Response.Headers.Vary = "Accept, Accept-Language";
        if (WantsJson(http.Request))
        {
            return TypedResults.Json(versions.Select(version => new
            {
                version.Number,
                Kind = version.Kind.Name(),
                version.PublishedAt,
                version.EffectiveAt,
                version.ContentHash,
                Current = version.Number == current?.Number,
                Locales = version.Texts.Select(text => text.Locale),
            }));
        }

        return Html(PolicyPageWriter.List(versions, current, locale, BasePath(newest)));
    }

    private static IResult Render(HttpContext http, PolicyVersion version, bool isCurrent, PageKind kind, PolicyVersion? previous)
    {
        var locales = version.Texts.Select(text => text.Locale).ToList();
        var locale = LanguageNegotiation.Choose(http.Request, locales, version.Texts[0].Locale);
        if (locale is null)
        {
            http.Response.Headers.CacheControl = "no-store";
            return NotFound(http, $"Version {version.Number} is not written in {AskedLanguage(http)}; it is in {string.Join(", ", locales)}.");
        }

        http.Response.Headers.Vary = "Accept, Accept-Language";
        var text = version.Texts.First(candidate => candidate.Locale == locale);
        if (WantsJson(http.Request))
        {
            return TypedResults.Json(new
            {
                version.Realm,
                version.Policy,
                version.Number,
                Kind = version.Kind.Name(),
                version.PublishedAt,
                version.EffectiveAt,
                version.ContentHash,
                text.Locale,
                text.Title,
                text.Summary,
                text.Markdown,
                text.Sha256,
                Locales = locales,
            });
        }

        // Keyed by content, not by number: a number names different texts in different stores (tests, a reset).
        var key = (version.ContentHash, version.Realm, version.Policy, version.Number, text.Locale, kind, isCurrent, previous?.ContentHash);
        var html = http.RequestServices.GetRequiredService<RenderedPageCache>().Pages.GetOrAdd(key, _ => Encoding.UTF8.GetBytes(kind == PageKind.Changes
            ? PolicyPageWriter.Changes(version, text, previous?.Texts.FirstOrDefault(candidate => candidate.Locale == locale), BasePath(version))
            : PolicyPageWriter.Version(version, text, isCurrent, BasePath(version))));
        return TypedResults.Bytes(html, "text/html; charset=utf-8");
    }


    /// <summary>A version by number; null for numbers below 1 (never asked of the store) and for absent ones.</summary>
    private static async Task<PolicyVersion?> FindVersionAsync(
        IPolicyStore store, string realm, string policy, int number, CancellationToken cancellationToken) =>
        number < 1 ? null : await store.GetAsync(realm, policy, number, cancellationToken).ConfigureAwait(false);

    private static IResult NoSuchVersion(HttpContext http, string realm, string policy, int number) =>
        NotFound(http, $"Realm '{realm}' has no version {number} of policy '{policy}'.");

    private static string BasePath(PolicyVersion version) =>
        $"/policies/{Uri.EscapeDataString(version.Realm)}/{Uri.EscapeDataString(version.Policy)}";

    private static bool WantsJson(HttpRequest request) =>
        request.GetTypedHeaders().Accept is { Count: > 0 } accept
        && accept.Any(type => type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        && !accept.Any(type => type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static IResult Html(string html) => TypedResults.Text(html, "text/html; charset=utf-8", Encoding.UTF8);

    private static IResult NotFound(HttpContext http, string detail) =>
        Problem(http, StatusCodes.Status404NotFound, "Not found", detail);

    private static IResult Problem(HttpContext http, int status, string title, string detail)
    {
        if (WantsJson(http.Request))
        {
            return TypedResults.Problem(detail, statusCode: status, title: title);
        }

        var locale = http.Request.Query["lang"] is { Count: > 0 } lang && lang[0] is { Length: > 0 and <= 35 } wanted ? wanted : "en";
        var page = PolicyPageWriter.NotFound(locale.StartsWith("es", StringComparison.OrdinalIgnoreCase) ? "es" : "en", detail);
        return TypedResults.Text(page, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>
    /// The <c>lang</c> asked for, quoted, when it is a language tag (<c>es</c>, <c>pt-BR</c>); otherwise only "the language
    /// asked for": a page of this site must not repeat free text that a link's author chose.
    /// </summary>
    private static string AskedLanguage(HttpContext http) =>
        http.Request.Query["lang"].ToString() is { } lang && LanguageTag().IsMatch(lang) ? $"'{lang}'" : "the language asked for";

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}$")]
    private static partial System.Text.RegularExpressions.Regex LanguageTag();

    private static bool IsName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength }
        && !name.Contains("..", StringComparison.Ordinal)
        && !name.Any(char.IsControl);

    private static byte[] LoadAsset(string name)
    {
        using var stream = typeof(PolicyPages).Assembly.GetManifestResourceStream($"IdpBridge.Service.PublicPages.{name}")
            ?? throw new InvalidOperationException($"The page asset {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    internal enum PageKind
    {
        Version,
        Changes,
    }
}

/// <summary>
/// Rendered pages of immutable versions, per service instance: Markdown is rendered once per version, locale and
/// page. Bounded by what the store holds (versions × locales × two pages).
/// </summary>
internal sealed class RenderedPageCache
{
    public ConcurrentDictionary<
        (string Hash, string Realm, string Policy, int Number, string Locale, PolicyPages.PageKind Kind, bool IsCurrent, string? PreviousHash),
        byte[]> Pages { get; } = new();
}

/// <summary>
/// The version in force per policy, re-read from the store at most once a second: the page people open from the
/// terms step is the hot path, and a version taking effect shows there within a second.
/// </summary>
internal sealed class EffectiveVersionCache(IPolicyStore store, TimeProvider time)
{
    /// <summary>How long a lookup is reused.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Realm, string Policy), (PolicyVersion? Version, DateTimeOffset ReadAt)> entries = new();

    public async Task<PolicyVersion?> GetAsync(string realm, string policy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (entries.TryGetValue((realm, policy), out var entry) && now - entry.ReadAt < Freshness)
        {
            return entry.Version;
        }

        var version = await store.GetEffectiveAsync(realm, policy, now, cancellationToken).ConfigureAwait(false);
        // Unknown realms and policies are not remembered: a scan of made-up names must not grow the cache.
        if (version is not null || entries.ContainsKey((realm, policy)))
        {
            entries[(realm, policy)] = (version, now);
        }

        return version;
    }
}
