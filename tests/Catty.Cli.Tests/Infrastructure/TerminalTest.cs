using System.Text.RegularExpressions;
using Catty.Sdk.Api;

namespace Catty.Cli.Tests.Infrastructure;

/// <summary>
/// A test that drives catty in a real terminal against the shared server: a fresh HOME signed in with the
/// owner's token, a tmux terminal in the project folder, and every session it started stopped afterwards.
/// </summary>
public abstract class TerminalTest(CliServer server) : IAsyncLifetime
{
    private readonly HashSet<string> _before = new(StringComparer.Ordinal);

    protected CliServer Server { get; } = server;

    protected TestHome Home { get; } = new();

    protected TmuxTerminal Terminal { get; private set; } = null!;

    /// <summary>Where the terminal's catty talks to (a proxy in front of the server in some tests).</summary>
    protected virtual Uri ServerAddress => Server.BaseAddress;

    protected static string Catty => CattyProcess.Program;

    public virtual async Task InitializeAsync()
    {
        Home.SignIn(ServerAddress);
        foreach (var session in await Server.Api.ListSessionsAsync())
        {
            _before.Add(session.Label);
        }

        Terminal = await TmuxTerminal.StartAsync(Home, ServerAddress);
    }

    public virtual async Task DisposeAsync()
    {
        await Terminal.DisposeAsync();
        foreach (var session in await Server.Api.ListSessionsAsync())
        {
            if (!_before.Contains(session.Label) && session.Status is SessionStatus.Running or SessionStatus.Starting)
            {
                await Server.Api.StopSessionAsync(session.Label);
            }
        }

        Home.Dispose();
    }

    /// <summary>The session this test started (the one new since it began), once the server lists it.</summary>
    protected async Task<SessionInfo> NewSessionAsync()
    {
        SessionInfo? found = null;
        await Poll.UntilAsync(async () => (found = (await Server.Api.ListSessionsAsync()).FirstOrDefault(s => !_before.Contains(s.Label))) is not null,
            "the new session to be listed", Deadline.Default * 2);
        _before.Add(found!.Label);
        return found;
    }

    /// <summary>Runs <c>catty new --agent shell</c> with <paramref name="flags"/> and waits for the session's shell prompt.</summary>
    protected async Task<SessionInfo> StartShellSessionAsync(string flags = "", string window = "main")
    {
        await Terminal.RunAsync($"{Catty} new --agent shell {flags}".TrimEnd(), window);
        var session = await NewSessionAsync();
        await WaitForRemotePromptAsync(session, window);
        return session;
    }

    /// <summary>Waits until the session's shell shows its prompt.</summary>
    protected Task WaitForRemotePromptAsync(SessionInfo session, string window = "main") =>
        WaitForRemotePromptAsync(session.Label, session.MachineId, window);

    /// <summary>Waits until a session's shell shows its prompt.</summary>
    protected Task WaitForRemotePromptAsync(string label, string machineId, string window = "main") =>
        Terminal.WaitForAsync(RemotePrompt(label, machineId), window, Deadline.Default * 2);

    /// <summary>
    /// A session shell's prompt: in the sandbox the host is named after the label; without one (no
    /// bubblewrap) the prompt shows the workspace folder, named after the machine.
    /// </summary>
    protected static Regex RemotePrompt(string label, string machineId) => new($"@{Regex.Escape(label)}:|workspaces/{Regex.Escape(machineId)}");

    /// <summary>Runs a command in the session and waits for its output, computed so that the echoed command never matches.</summary>
    protected async Task EchoRoundTripAsync(string tag, string window = "main")
    {
        await Terminal.RunAsync($"echo {tag}-$((40+2))", window);
        await Terminal.WaitForAsync($"{tag}-42", window);
    }
}
