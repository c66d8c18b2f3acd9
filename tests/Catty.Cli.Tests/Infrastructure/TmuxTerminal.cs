using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Catty.Cli.Tests.Infrastructure;

/// <summary>
/// A real terminal: a private tmux server running a plain bash in the test's project folder, with the
/// test's HOME and server address. Tests type with <c>send-keys</c>, paste with <c>paste-buffer -p</c> and
/// read the screen with <c>capture-pane</c>, waiting for text with a deadline; a failure prints the screen.
/// </summary>
public sealed class TmuxTerminal : IAsyncDisposable
{
    private readonly string _socket;

    private TmuxTerminal(string socket) => _socket = socket;

    public const string LocalPrompt = "local$ ";

    public static async Task<TmuxTerminal> StartAsync(TestHome home, Uri server, int cols = 100, int rows = 30, string window = "main")
    {
        var terminal = new TmuxTerminal(Path.Combine(home.Root, "tmux.sock"));
        var shell = Shell(home, server);
        await terminal.TmuxAsync("-f", "/dev/null", "new-session", "-d", "-s", "t", "-n", window, "-x", cols.ToString(), "-y", rows.ToString(), "-c", home.Project, shell);
        await terminal.TmuxAsync("set-option", "-g", "history-limit", "5000");
        await terminal.WaitForAsync(LocalPrompt, window);
        return terminal;
    }

    /// <summary>A second window in the same terminal server, e.g. for a second client.</summary>
    public async Task OpenWindowAsync(TestHome home, Uri server, string window)
    {
        var shell = Shell(home, server);
        await TmuxAsync("new-window", "-t", "t", "-n", window, "-c", home.Project, shell);
        await WaitForAsync(LocalPrompt, window);
    }

    /// <summary>Types <paramref name="text"/> literally, then Enter.</summary>
    public Task RunAsync(string text, string window = "main") => TypeAsync(text + "\r", window);

    public Task TypeAsync(string text, string window = "main") => TmuxAsync("send-keys", "-t", "t:" + window, "-l", "--", text);

    /// <summary>A key by tmux's name: Enter, C-c, C-\\, Up, Down, q.</summary>
    public Task KeyAsync(string key, string window = "main") => TmuxAsync("send-keys", "-t", "t:" + window, key);

    /// <summary>Pastes <paramref name="text"/> as a terminal paste (bracketed when the program asked for it).</summary>
    public async Task PasteAsync(string text, string window = "main")
    {
        await TmuxAsync("set-buffer", "-b", "paste", "--", text);
        await TmuxAsync("paste-buffer", "-p", "-b", "paste", "-t", "t:" + window);
    }

    /// <summary>
    /// Resizes a window and returns once its terminal has the new size, as a terminal emulator does before
    /// it passes on the next keys (tmux applies a resize a moment after the command returns).
    /// </summary>
    public async Task ResizeAsync(int cols, int rows, string window = "main")
    {
        await TmuxAsync("resize-window", "-t", "t:" + window, "-x", cols.ToString(), "-y", rows.ToString());
        var tty = (await TmuxAsync("display-message", "-p", "-t", "t:" + window, "#{pane_tty}")).Trim();
        var size = "";
        await Poll.UntilAsync(async () => (size = await SizeOfAsync(tty)) == $"{rows} {cols}", $"{tty} to be {cols}x{rows}", describe: () => $"It is {size} (rows cols).");
    }

    /// <summary>The screen and its scrollback, lines joined.</summary>
    public Task<string> ScreenAsync(string window = "main") => TmuxAsync("capture-pane", "-p", "-J", "-S", "-", "-t", "t:" + window);

    /// <summary>Waits until <paramref name="text"/> is on the screen (or in its scrollback).</summary>
    public async Task WaitForAsync(string text, string window = "main", TimeSpan? limit = null)
    {
        var screen = "";
        await Poll.UntilAsync(async () => (screen = await ScreenAsync(window)).Contains(text, StringComparison.Ordinal),
            $"'{text}' on the terminal", limit, () => $"The terminal showed:\n---\n{screen}\n---");
    }

    /// <summary>Waits until <paramref name="pattern"/> matches the screen; returns the match.</summary>
    public async Task<Match> WaitForAsync(Regex pattern, string window = "main", TimeSpan? limit = null)
    {
        var screen = "";
        Match? match = null;
        await Poll.UntilAsync(async () => (match = pattern.Match(screen = await ScreenAsync(window))).Success,
            $"/{pattern}/ on the terminal", limit, () => $"The terminal showed:\n---\n{screen}\n---");
        return match!;
    }

    /// <summary>How many times <paramref name="text"/> appears on the screen and scrollback.</summary>
    public async Task<int> CountAsync(string text, string window = "main") => Regex.Matches(await ScreenAsync(window), Regex.Escape(text)).Count;

    /// <summary>How many times <paramref name="pattern"/> matches the screen and scrollback.</summary>
    public async Task<int> CountAsync(Regex pattern, string window = "main") => pattern.Matches(await ScreenAsync(window)).Count;

    /// <summary>The pid of the program in the foreground of a window (catty while it runs).</summary>
    public async Task<int> ForegroundPidAsync(string window = "main")
    {
        var shellPid = int.Parse((await TmuxAsync("display-message", "-p", "-t", "t:" + window, "#{pane_pid}")).Trim());
        var children = File.ReadAllText($"/proc/{shellPid}/task/{shellPid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return int.Parse(children.Single());
    }

    /// <summary>A clean bash: the test's HOME and server, a prompt the tests look for, nothing from the test runner's environment.</summary>
    private static string Shell(TestHome home, Uri server)
    {
        var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root ? $"DOTNET_ROOT={root} " : "";
        return $"env -i PATH={Environment.GetEnvironmentVariable("PATH")} HOME={home.Home} TERM=xterm-256color LANG=C.UTF-8 {dotnetRoot}"
            + $"CATTY_API_ADDR={server} PS1='{LocalPrompt}' bash --norc --noprofile -i";
    }

    /// <summary>A terminal's size as the kernel has it ("rows cols").</summary>
    private static async Task<string> SizeOfAsync(string tty)
    {
        using var stty = Process.Start(new ProcessStartInfo("stty", ["-F", tty, "size"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var size = await stty.StandardOutput.ReadToEndAsync();
        await stty.WaitForExitAsync();
        return size.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await TmuxAsync(allowFailure: true, "kill-server");
    }

    private Task<string> TmuxAsync(params string[] args) => TmuxAsync(allowFailure: false, args);

    private async Task<string> TmuxAsync(bool allowFailure, params string[] args)
    {
        var start = new ProcessStartInfo("tmux")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-S");
        start.ArgumentList.Add(_socket);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().Within($"tmux {args[0]}");
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed: {await error}");
        }

        return await output;
    }
}
