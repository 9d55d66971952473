using System.Diagnostics;
using System.Globalization;

namespace Tuned;

/// <summary>CPU seconds (user+sys) of this process and of the Keycloak server (TUNED_SERVER_PID, from /proc), to read around each level.</summary>
internal static class CpuClock
{
    // /proc reports in USER_HZ, which Linux fixes at 100 for user space.
    private const double TicksPerSecond = 100;

    public static double Own() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    /// <summary>The server's CPU seconds so far; 0 when TUNED_SERVER_PID is not set.</summary>
    public static double Server()
    {
        if (Environment.GetEnvironmentVariable("TUNED_SERVER_PID") is not { Length: > 0 } pid)
        {
            return 0;
        }

        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of the line; the command name in parentheses was field 2.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
