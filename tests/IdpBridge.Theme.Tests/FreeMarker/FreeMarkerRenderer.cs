using System.Diagnostics;
using System.Globalization;
using System.Text;
using IdpBridge.Testing;

namespace IdpBridge.Theme.Tests.FreeMarker;

/// <summary>
/// Renders the repository's login-theme templates with the real FreeMarker engine: ThemeRenderer.java (next to the
/// test assembly) is compiled once per test run into a temporary folder and run once per render.
/// </summary>
internal static class FreeMarkerRenderer
{
    private static readonly Lazy<Task<Compiled>> LazyCompiled = new(CompileAsync);
    private static DirectoryInfo? classes;

    /// <summary>keycloak-theme/idpbridge/login in the working tree.</summary>
    public static string ThemeDirectory { get; } = Path.Combine(SharedData.RepositoryRoot, "keycloak-theme", "idpbridge", "login");

    private static string SupportDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "FreeMarker");

    public static async Task<string> RenderAsync(TermsRenderRequest request, CancellationToken cancellationToken = default)
    {
        var compiled = await LazyCompiled.Value.ConfigureAwait(false);
        var work = Directory.CreateTempSubdirectory("idpbridge-render-");
        try
        {
            var requestFile = Path.Combine(work.FullName, "request.properties");
            var outputFile = Path.Combine(work.FullName, "out.html");
            // No BOM: java.util.Properties would read it as part of the first key.
            await File.WriteAllTextAsync(requestFile, ToProperties(request), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);

            var start = new ProcessStartInfo(compiled.Toolchain.Java)
            {
                ArgumentList =
                {
                    "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Dfile.encoding=UTF-8",
                    "-cp", string.Join(Path.PathSeparator, [compiled.Classes, .. compiled.Toolchain.ClassPath]),
                    "ThemeRenderer", requestFile, outputFile,
                },
            };
            start.Environment.Remove("IDPBRIDGE_PUBLIC_URL");
            foreach (var (name, value) in request.Environment)
            {
                if (value is null)
                {
                    start.Environment.Remove(name);
                }
                else
                {
                    start.Environment[name] = value;
                }
            }

            await RunAsync(start, "render " + request.Template, cancellationToken).ConfigureAwait(false);
            return await File.ReadAllTextAsync(outputFile, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Removes the compiled renderer; called once when the test run ends.</summary>
    public static void DeleteCompiled()
    {
        try
        {
            classes?.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<Compiled> CompileAsync()
    {
        var toolchain = JavaToolchain.Find();
        classes = Directory.CreateTempSubdirectory("idpbridge-theme-renderer-");
        var start = new ProcessStartInfo(toolchain.Javac)
        {
            ArgumentList =
            {
                "-encoding", "UTF-8", "-nowarn", "-d", classes.FullName,
                "-cp", string.Join(Path.PathSeparator, toolchain.ClassPath),
                Path.Combine(SupportDirectory, "ThemeRenderer.java"),
            },
        };
        await RunAsync(start, "compile ThemeRenderer.java", CancellationToken.None).ConfigureAwait(false);
        return new Compiled(toolchain, classes.FullName);
    }

    private static async Task RunAsync(ProcessStartInfo start, string what, CancellationToken cancellationToken)
    {
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = SupportDirectory;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} took longer than 60 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{what} failed (exit {process.ExitCode}):\n{await stderr.ConfigureAwait(false)}{await stdout.ConfigureAwait(false)}");
        }
    }

    private static string ToProperties(TermsRenderRequest request)
    {
        var entries = new List<(string Key, string Value)>
        {
            ("themeDir", ThemeDirectory),
            ("parentDir", Path.Combine(SupportDirectory, "keycloak-stand-in")),
            ("template", request.Template),
            ("realmName", request.RealmName),
            ("loginAction", request.LoginAction),
            ("locale", request.Locale ?? ""),
        };
        entries.AddRange(request.RealmTexts.Select(t => ("realmText." + t.Key, t.Value)));
        entries.AddRange(request.Attributes.Select(a => ("attribute." + a.Key, a.Value)));
        var text = new StringBuilder();
        foreach (var (key, value) in entries)
        {
            text.Append(Escape(key)).Append('=').Append(Escape(value)).Append('\n');
        }

        return text.ToString();
    }

    // Every character but [A-Za-z0-9._-] as \uXXXX: no properties-syntax character (\ = : # ! space, line breaks) can
    // change what the renderer reads.
    private static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length * 2);
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            {
                escaped.Append(c);
            }
            else
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }

    private sealed record Compiled(JavaToolchain Toolchain, string Classes);
}
