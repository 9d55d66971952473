using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IdpBridge.Testing.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.IdentityModel.Tokens;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace IdpBridge.Testing.Simulator;

/// <summary>
/// A stateful Keycloak 26 on WireMock.Net: the Admin REST API subset IdpBridge uses, the client-credentials token
/// endpoint, discovery and JWKS, with the behaviour documented in <c>docs/keycloak-facts.md</c>. One
/// catch-all WireMock mapping routes every request to the simulator's handlers; WireMock's request log and
/// <see cref="Requests"/> both record traffic.
/// </summary>
public sealed partial class KeycloakSimulator : IDisposable
{
    /// <summary>The realm holding the admin client.</summary>
    public const string AdminRealm = "master";

    private static readonly AsyncLocal<string?> CurrentRawTarget = new();

    private readonly ConcurrentDictionary<string, SimulatedRealm> realms = new(StringComparer.Ordinal);
    private readonly object logSync = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> requestCounts = new(StringComparer.Ordinal);
    private readonly LinkedList<RecordedRequest> log = new();
    private readonly List<string> violations = [];
    private readonly TokenService tokens;
    private readonly string prefix;
    private int tokenRequests;

    private KeycloakSimulator(SimulatorOptions options)
    {
        Options = options;
        prefix = NormalizePrefix(options.PathPrefix);
        TimeProvider = options.TimeProvider;
        tokens = new TokenService(TimeProvider);
        AdminClientId = options.AdminClientId;
        AdminClientSecret = options.AdminClientSecret ?? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();
        var master = CreateRealm(AdminRealm);
        lock (master.Sync)
        {
            master.Settings["accessTokenLifespan"] = options.AdminTokenLifetimeSeconds;
            master.RealmRoles.Add(new JsonObject { ["name"] = "admin" });
            master.RealmRoles.Add(new JsonObject { ["name"] = "create-realm" });
            master.AddClientUnlocked(new JsonObject
            {
                ["clientId"] = AdminClientId,
                ["name"] = "IdpBridge admin (simulated)",
                ["secret"] = AdminClientSecret,
                ["serviceAccountsEnabled"] = true,
                ["standardFlowEnabled"] = false,
            });
            var account = master.ServiceAccountUnlocked(AdminClientId)!;
            account.RealmRoles.AddRange(["admin", "create-realm", "default-roles-master"]);
        }

        Server = null!;
    }

    /// <summary>The options the simulator started with.</summary>
    public SimulatorOptions Options { get; }

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:PORT</c> or <c>http://127.0.0.1:PORT/auth</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The underlying WireMock server (its log entries hold every request).</summary>
    public WireMockServer Server { get; private set; }

    /// <summary>Client id of the confidential admin client in <c>master</c> (service account with the <c>admin</c> role).</summary>
    public string AdminClientId { get; }

    /// <summary>Its secret: random per simulator unless set in the options (a test value, not a real secret).</summary>
    public string AdminClientSecret { get; }

    /// <summary>Fault injection.</summary>
    public SimulatorFaults Faults { get; } = new();

    /// <summary>The simulator's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The RSA key tokens are signed with (its public part is served at <c>/protocol/openid-connect/certs</c>).</summary>
    public SecurityKey SigningKey => tokens.SigningKey;

    /// <summary>Number of token endpoint requests so far (failed ones included).</summary>
    public int TokenRequestCount => Volatile.Read(ref tokenRequests);

    /// <summary>Every request so far, oldest first (a snapshot; capped by <see cref="SimulatorOptions.MaxRequestLogCount"/>).</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (logSync)
            {
                return log.ToArray();
            }
        }
    }

    /// <summary>How many requests each HTTP method got since the start (never capped, unlike <see cref="Requests"/>).</summary>
    public IReadOnlyDictionary<string, long> RequestCounts => new SortedDictionary<string, long>(requestCounts, StringComparer.Ordinal);

    /// <summary>Contract violations found so far, each prefixed with the request's method and path.</summary>
    public IReadOnlyList<string> ContractViolations
    {
        get
        {
            lock (violations)
            {
                return violations.ToArray();
            }
        }
    }

    /// <summary>Names of every realm.</summary>
    public IReadOnlyList<string> RealmNames => realms.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Starts a simulator with a <c>master</c> realm holding the admin client.</summary>
    public static KeycloakSimulator Start(SimulatorOptions? options = null)
    {
        options ??= new SimulatorOptions();
        if (options.KeycloakVersion is not (SimulatorOptions.Keycloak26_7 or SimulatorOptions.Keycloak26_4))
        {
            throw new ArgumentException(
                $"The simulator answers as Keycloak {SimulatorOptions.Keycloak26_7} or {SimulatorOptions.Keycloak26_4}, not '{options.KeycloakVersion}'.",
                nameof(options));
        }

        var simulator = new KeycloakSimulator(options);
        var settings = new WireMockServerSettings
        {
            // Loopback only: the simulator hands out admin tokens and user data to whoever reaches it. WireMock binds every
            // interface when given only a port.
            Urls = ["http://127.0.0.1:" + (options.Port == 0 ? FreeLoopbackPort() : options.Port).ToString(CultureInfo.InvariantCulture)],
            StartAdminInterface = options.EnableAdminInterface,
            MaxRequestLogCount = options.MaxRequestLogCount,
            PreWireMockMiddlewareInit = app => ((IApplicationBuilder)app).Use(simulator.MiddlewareAsync),
        };
        var server = WireMockServer.Start(settings);
        server.Given(Request.Create().UsingAnyMethod())
            .AtPriority(int.MaxValue)
            .RespondWith(Response.Create().WithCallback(simulator.HandleAsync));
        simulator.Server = server;
        simulator.Url = "http://127.0.0.1:" + server.Ports[0].ToString(CultureInfo.InvariantCulture) + simulator.prefix;
        return simulator;
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>An existing realm; throws <see cref="KeyNotFoundException"/> otherwise.</summary>
    public SimulatedRealm Realm(string name) =>
        realms.TryGetValue(name, out var realm) ? realm : throw new KeyNotFoundException($"No realm '{name}' in the simulator.");

    /// <summary>Whether a realm exists.</summary>
    public bool HasRealm(string name) => realms.ContainsKey(name);

    /// <summary>
    /// Creates a realm with a new Keycloak realm's defaults (events off, TERMS_AND_CONDITIONS registered but disabled,
    /// the default user profile, a <c>realm-management</c> client) and lets <paramref name="configure"/> arrange it.
    /// Throws when it exists.
    /// </summary>
    public SimulatedRealm CreateRealm(string name, Action<SimulatedRealm>? configure = null)
    {
        var realm = new SimulatedRealm(this, name, name == AdminRealm ? AdminRealm : SimulatedRealm.DeterministicId("realm/" + name));
        if (!realms.TryAdd(name, realm))
        {
            throw new InvalidOperationException($"Realm '{name}' exists.");
        }

        configure?.Invoke(realm);
        return realm;
    }

    /// <summary>Removes a realm (not <c>master</c>).</summary>
    public bool DeleteRealm(string name) => name != AdminRealm && realms.TryRemove(name, out _);

    /// <summary>
    /// Creates a confidential client with a service account in <paramref name="realm"/> holding the given
    /// <c>realm-management</c> roles; returns its secret. Tokens of that realm may call that realm's Admin API.
    /// </summary>
    public string AddServiceAccountClient(string realm, string clientId, params string[] realmManagementRoles)
    {
        var target = Realm(realm);
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        target.AddClient(new JsonObject { ["clientId"] = clientId, ["secret"] = secret, ["serviceAccountsEnabled"] = true });
        var account = target.FindUserId("service-account-" + clientId)!;
        target.GrantClientRoles(account, "realm-management", realmManagementRoles);
        return secret;
    }

    /// <summary>
    /// Issues a signed access token of <paramref name="realm"/> without any request (for services that validate
    /// Keycloak JWTs). Defaults: <c>iss</c>, <c>iat</c>, <c>exp</c> (now + lifetime, default 300 s), <c>jti</c>,
    /// <c>typ</c> Bearer, <c>azp</c> "account"; <paramref name="claims"/> add or override (values serialised as JSON).
    /// </summary>
    public string IssueToken(string realm, IReadOnlyDictionary<string, object?>? claims = null, TimeSpan? lifetime = null)
    {
        var payload = new JsonObject
        {
            ["iss"] = Url + "/realms/" + Uri.EscapeDataString(realm),
            ["typ"] = "Bearer",
            ["azp"] = "account",
        };
        foreach (var (key, value) in claims ?? new Dictionary<string, object?>())
        {
            payload[key] = TokenService.ToNode(value);
        }

        return tokens.Issue(realm, payload, lifetime ?? TimeSpan.FromMinutes(5));
    }

    /// <summary>Every token issued so far is rejected (401) from now on, as after expiry or revocation.</summary>
    public void ExpireAllTokens() => tokens.RevokeAll();

    /// <summary>Empties <see cref="Requests"/> and WireMock's log.</summary>
    public void ClearRequests()
    {
        lock (logSync)
        {
            log.Clear();
        }

        Server.ResetLogEntries();
    }

    /// <summary>Empties <see cref="ContractViolations"/>.</summary>
    public void ClearContractViolations()
    {
        lock (violations)
        {
            violations.Clear();
        }
    }

    /// <summary>Stops the server.</summary>
    public void Dispose()
    {
        Server?.Stop();
        Server?.Dispose();
        tokens.Dispose();
    }

    private static string NormalizePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix) || prefix == "/")
        {
            return "";
        }

        return "/" + prefix.Trim('/');
    }

    // ---------------------------------------------------------------- pipeline

    private async Task MiddlewareAsync(HttpContext context, Func<Task> next)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var isWireMockAdmin = context.Request.Path.StartsWithSegments("/__admin", StringComparison.Ordinal);
        if (!isWireMockAdmin && Faults.TryTakeDrop())
        {
            var (rawPath, rawQuery) = SplitTarget(rawTarget ?? context.Request.Path.Value ?? "/");
            if (IsTokenPath(rawPath))
            {
                Interlocked.Increment(ref tokenRequests);
            }

            Record(new RecordedRequest(context.Request.Method, rawPath, Unescape(rawPath), ParseQuery(rawQuery),
                context.Request.ContentType, null, context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, 0,
                TimeProvider.GetUtcNow()));
            context.Abort();
            return;
        }

        CurrentRawTarget.Value = rawTarget;
        await next().ConfigureAwait(false);
    }

    private async Task<IResponseMessage> HandleAsync(IRequestMessage message)
    {
        var at = TimeProvider.GetUtcNow();
        var target = CurrentRawTarget.Value ?? TargetFromUrl(message.Url);
        var (rawPath, rawQuery) = SplitTarget(target);
        var query = ParseQuery(rawQuery);
        var contentType = Header(message, "Content-Type");
        var authorization = Header(message, "Authorization");
        var body = message.Body ?? message.BodyData?.BodyAsString;
        if (IsTokenPath(rawPath))
        {
            Interlocked.Increment(ref tokenRequests);
        }

        SimResponse response;
        if (!await Faults.EnterAsync().ConfigureAwait(false))
        {
            response = new SimResponse(503, null, null);
        }
        else
        {
            try
            {
                var latency = Faults.Latency;
                if (latency > TimeSpan.Zero)
                {
                    await Task.Delay(latency, Options.LatencyOnTimeProvider ? TimeProvider : TimeProvider.System).ConfigureAwait(false);
                }

                response = Process(message.Method.ToUpperInvariant(), rawPath, query, contentType, body, authorization);
            }
            finally
            {
                Faults.Exit();
            }
        }

        Record(new RecordedRequest(message.Method.ToUpperInvariant(), rawPath, Unescape(rawPath), query, contentType, body, authorization, response.Status, at));
        return ToWireMock(response);
    }

    private SimResponse Process(string method, string rawPath, IReadOnlyList<KeyValuePair<string, string>> query, string? contentType, string? body, string? authorization)
    {
        if (!rawPath.StartsWith(prefix + "/", StringComparison.Ordinal))
        {
            return NoSuchRoute(method, rawPath);
        }

        var relative = rawPath[prefix.Length..];
        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Unescape).ToArray();
        var request = new SimRequest
        {
            Method = method,
            RawPath = relative,
            Segments = segments,
            Query = query,
            ContentType = contentType,
            Body = body,
            Authorization = authorization,
        };
        var isAdmin = relative.StartsWith("/admin/", StringComparison.Ordinal);
        // The admin console's server info lives beside /admin/realms, which is all the OpenAPI documents describe; every
        // 26.x serves it (systemInfo.version: checked on 26.7.3), so it is held to the real server, not to those documents.
        var documented = isAdmin && relative != "/admin/serverinfo";
        if (documented && Options.CheckContract)
        {
            ReportViolations(method, relative, OpenApiContract.Keycloak26_6.CheckRequest(method, relative, query, contentType, body));
            if (Options.CheckKeycloak26_0)
            {
                ReportViolations(method, relative, OpenApiContract.CheckAvailableIn26_0(method, relative, query));
            }
        }

        SimResponse response;
        try
        {
            if (isAdmin && Faults.TryTakeFailure(method, out var status, out var retryAfter))
            {
                response = FailureResponse(status, retryAfter);
            }
            else
            {
                response = Route(request) ?? NoSuchRoute(method, rawPath);
            }
        }
        catch (SimHttpException e)
        {
            response = e.Response;
        }

        if (documented && Options.CheckContract)
        {
            ReportViolations(method, relative, OpenApiContract.Keycloak26_6.CheckResponse(method, relative, response.Status, response.ContentType, response.Body));
        }

        return response;
    }

    private static SimResponse FailureResponse(int status, TimeSpan? retryAfter)
    {
        var headers = retryAfter is { } wait
            ? new List<KeyValuePair<string, string>> { new("Retry-After", ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture)) }
            : null;
        return status >= 500 && status != 503
            ? new SimResponse(status, SimJson.Write(new JsonObject { ["error"] = "unknown_error" }), SimResponse.JsonType, headers)
            : new SimResponse(status, null, null, headers);
    }

    private SimResponse NoSuchRoute(string method, string rawPath)
    {
        AddViolation($"{method} {rawPath}: no such route");
        return SimResponse.NotFound();
    }

    private void ReportViolations(string method, string path, IReadOnlyList<string> found)
    {
        foreach (var sentence in found)
        {
            AddViolation($"{method} {path}: {sentence}");
        }
    }

    private void AddViolation(string violation)
    {
        lock (violations)
        {
            violations.Add(violation);
        }

        ContractLedger.Report(violation);
    }

    private void Record(RecordedRequest request)
    {
        requestCounts.AddOrUpdate(request.Method, 1, static (_, count) => count + 1);
        lock (logSync)
        {
            log.AddLast(request);
            if (Options.MaxRequestLogCount is { } max)
            {
                while (log.Count > max)
                {
                    log.RemoveFirst();
                }
            }
        }
    }

    private static ResponseMessage ToWireMock(SimResponse response)
    {
        var message = new ResponseMessage { StatusCode = response.Status };
        if (response.Body is not null)
        {
            message.BodyData = new BodyData
            {
                BodyAsString = response.Body,
                DetectedBodyType = BodyType.String,
                Encoding = Encoding.UTF8,
            };
        }

        if (response.ContentType is not null)
        {
            message.AddHeader("Content-Type", response.ContentType);
        }

        foreach (var (name, value) in response.Headers ?? [])
        {
            message.AddHeader(name, value);
        }

        return message;
    }

    private bool IsTokenPath(string rawPath) =>
        rawPath.StartsWith(prefix + "/realms/", StringComparison.Ordinal) && rawPath.EndsWith("/protocol/openid-connect/token", StringComparison.Ordinal);

    private static string? Header(IRequestMessage message, string name)
    {
        if (message.Headers is null)
        {
            return null;
        }

        foreach (var (key, values) in message.Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && values.Count > 0)
            {
                return values[0];
            }
        }

        return null;
    }

    /// <summary>Fallback when the raw target is unknown: WireMock's URL keeps %2F but decodes other escapes; re-escape per segment.</summary>
    private static string TargetFromUrl(string url)
    {
        var uri = new Uri(url);
        var path = uri.GetComponents(UriComponents.Path, UriFormat.UriEscaped);
        var escaped = string.Join('/', ("/" + path).Split('/').Select(s => Uri.EscapeDataString(Uri.UnescapeDataString(s))));
        return escaped + uri.Query;
    }

    private static (string Path, string Query) SplitTarget(string target)
    {
        var question = target.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (target, "") : (target[..question], target[(question + 1)..]);
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text);

    internal static IReadOnlyList<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery))
        {
            return [];
        }

        var result = new List<KeyValuePair<string, string>>();
        foreach (var part in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            result.Add(new(Unescape(key.Replace('+', ' ')), Unescape(value.Replace('+', ' '))));
        }

        return result;
    }
}
