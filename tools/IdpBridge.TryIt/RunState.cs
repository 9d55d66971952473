using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using IdpBridge.KeycloakLauncher;

namespace IdpBridge.TryIt;

/// <summary>
/// What a try-it run left in its state folder (<c>try-it.json</c>): its own pid and the pids of what it started, and the
/// addresses; no secret. A second run reads it to say what is in the way; <c>stop</c> reads it to stop the run.
/// </summary>
internal sealed record RunState
{
    private const string FileName = "try-it.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The try-it process.</summary>
    public int Pid { get; init; }

    /// <summary>When it started (UTC, ISO 8601).</summary>
    public string StartedAt { get; init; } = "";

    /// <summary>Keycloak's process group, once started.</summary>
    public int? KeycloakPid { get; init; }

    /// <summary>The IdpBridge service's process group, once started.</summary>
    public int? ServicePid { get; init; }

    /// <summary>Keycloak's address.</summary>
    public string KeycloakUrl { get; init; } = "";

    /// <summary>The service's address.</summary>
    public string ServiceUrl { get; init; } = "";

    /// <summary>The state file in <paramref name="folder"/>.</summary>
    public static string PathIn(string folder) => System.IO.Path.Combine(folder, FileName);

    /// <summary>The state a run left in <paramref name="folder"/>, if any (an unreadable file counts as none).</summary>
    public static RunState? Read(string folder)
    {
        var file = PathIn(folder);
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize<RunState>(File.ReadAllText(file)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes this state into <paramref name="folder"/> (replacing the file whole).</summary>
    public void Write(string folder)
    {
        var file = PathIn(folder);
        var staging = file + ".new";
        File.WriteAllText(staging, JsonSerializer.Serialize(this, Json));
        File.Move(staging, file, overwrite: true);
    }

    /// <summary>The state of a run starting now in this process.</summary>
    public static RunState Starting(TryItSettings settings) => new()
    {
        Pid = Environment.ProcessId,
        StartedAt = TimeProvider.System.GetUtcNow().ToString("u", CultureInfo.InvariantCulture),
        KeycloakUrl = settings.KeycloakUrl.ToString(),
        ServiceUrl = settings.ServiceUrl.ToString(),
    };

    /// <summary>True while the run's try-it process is alive (checked by its command line, so a reused pid does not count).</summary>
    [JsonIgnore]
    public bool IsRunning => Runs(Pid, "idpbridge-try-it");

    /// <summary>Kills what a run that died left behind (its service and Keycloak groups, when they still run).</summary>
    public void KillLeftovers()
    {
        if (ServicePid is { } service && Runs(service, "IdpBridge.Service"))
        {
            ProcessGroup.KillAbandoned(service);
        }

        if (KeycloakPid is { } keycloak && Runs(keycloak, "idpbridge-kc-"))
        {
            ProcessGroup.KillAbandoned(keycloak);
        }
    }

    /// <summary>True while process <paramref name="pid"/> runs a command line that contains <paramref name="marker"/>.</summary>
    public static bool Runs(int pid, string marker)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
            return commandLine.Contains(marker, StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
