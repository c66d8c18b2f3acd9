using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Catty.Cli.Tests.Infrastructure;

/// <summary>What a finished catty run printed and returned.</summary>
public sealed record CattyResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}--- stderr ---\n{Err}";
}

/// <summary>Runs the built catty program as a child process with a test HOME, in a folder, with optional input.</summary>
internal static class CattyProcess
{
    public static string Program => Path.Combine(AppContext.BaseDirectory, "catty");

    public static Task<CattyResult> RunAsync(TestHome home, Uri? server, string? input, params string[] args) =>
        RunAsync(home, server, input, new Dictionary<string, string?>(), args);

    /// <param name="environment">Variables to set (or, with null, remove) on top of the test's HOME and server.</param>
    public static async Task<CattyResult> RunAsync(TestHome home, Uri? server, string? input, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = StartInfo(home, server, environment, args);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync().Within($"catty {string.Join(' ', args)} to finish", Deadline.Default * 2);
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw;
        }

        return new CattyResult(process.ExitCode, await output, await error);
    }

    /// <summary>Starts catty and leaves it running (e.g. <c>login</c>, waiting for a person); input is closed.</summary>
    public static RunningCatty Start(TestHome home, Uri? server, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = StartInfo(home, server, environment, args);
        var process = new Process { StartInfo = start };
        var output = new ProcessOutput(process, $"catty {string.Join(' ', args)}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return new RunningCatty(process, output, string.Join(' ', args));
    }

    private static ProcessStartInfo StartInfo(TestHome home, Uri? server, IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var start = new ProcessStartInfo(Program)
        {
            WorkingDirectory = home.Project,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = home.Home;
        start.Environment["CATTY_API_ADDR"] = server?.ToString();
        start.Environment["DISPLAY"] = null;
        start.Environment["WAYLAND_DISPLAY"] = null;
        start.Environment["BROWSER"] = null;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }
}

/// <summary>A catty run still going: waiting for what it prints, then for its end; killed if the test leaves first.</summary>
internal sealed class RunningCatty(Process process, ProcessOutput output, string command) : IAsyncDisposable
{
    /// <summary>Everything printed so far, standard output and error.</summary>
    public string Output => output.Text;

    public Task<Match> WaitForAsync(Regex pattern, string what) => output.WaitForAsync(pattern, what);

    /// <summary>Waits for catty to exit; its exit code.</summary>
    public async Task<int> ExitAsync()
    {
        await process.WaitForExitAsync().Within($"catty {command} to finish", Deadline.Default * 2);
        process.WaitForExit();
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
