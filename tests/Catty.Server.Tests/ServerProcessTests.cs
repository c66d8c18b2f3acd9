using System.Text.RegularExpressions;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests;

/// <summary>The real catty-server program, started as a child process.</summary>
public sealed partial class ServerProcessTests
{
    /// <summary>What each of the three sessions shows when the server dies: a pager, an editor and a shell.</summary>
    /// <remarks>Each one's last-drawn text is one the typed command line does not contain.</remarks>
    private static readonly (string Run, string Drawn, string Leave)[] Screens =
    [
        ("seq 1 500 > numbers.txt && less -Psat-%lt +200g numbers.txt\r", "at-200", "q"),
        ("echo \"line-$((20+22))\" > notes.txt && vi notes.txt\r", "\"notes.txt\" 1L, 8B", ":q!\r"),
        ("echo typed-before-$((1+101))\r", "typed-before-102", ""),
    ];

    [Fact]
    public async Task After_kill_9_and_a_restart_three_sessions_run_on_with_their_screens_intact()
    {
        const int cols = 120, rows = 40;
        using var data = new TestDataDir();
        var sessions = new List<CreateSessionResponse>();
        var before = new List<XtermScreen>();
        await using (var first = await ServerProcess.StartAsync(data))
        {
            foreach (var (run, drawn, _) in Screens)
            {
                var session = await first.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"));
                await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);
                await terminal.SendAsync(run);
                before.Add(await SettledScreen.WaitAsync(first.Client, session.Label, terminal, cols, rows, drawn));
                sessions.Add(session);
            }

            first.KillHard();
        }

        Assert.All(sessions, s => Assert.True(data.AgentAlive(s.MachineId), $"{s.Label}'s agent died with the server"));
        await using var second = await ServerProcess.StartAsync(data);

        var listed = await second.Client.ListSessionsAsync();
        Assert.Equal(sessions.Select(s => s.Label).Order(), listed.Select(s => s.Label).Order());
        Assert.All(listed, s => Assert.Equal((SessionStatus.Running, MachineState.Started), (s.Status, s.MachineState)));
        for (var i = 0; i < sessions.Count; i++)
        {
            // The connect token from before the crash still works: the key that signs tokens is in the data dir.
            var info = listed.Single(s => s.SessionId == sessions[i].SessionId);
            await using var terminal = await TerminalClient.ConnectAsync(info.ConnectUrl, sessions[i].Headers);
            await terminal.WaitForControlAsync("ready");
            before[i].AssertSameAs((await XtermScreen.RenderAsync(cols, rows, terminal.Bytes))[0], $"{info.Label}'s screen after the restart");
            terminal.SkipReceived();
            if (Screens[i].Leave.Length > 0)
            {
                // A program that reads ahead would swallow what is typed before the shell's prompt is back.
                await terminal.SendAsync(Screens[i].Leave);
                await terminal.ReadUntilAsync("\u001b[?1049l");
                // The prompt is drawn by the line editor, so it is reading again (# or $ depending on the sandbox uid).
                await terminal.ReadUntilAsync(":/workspace");
            }

            await terminal.SendAsync($"echo typed-after-$(({i}+200))\r");
            await terminal.ReadUntilAsync($"typed-after-{i + 200}");
        }
    }

    [Fact]
    public async Task The_first_start_prints_a_token_and_a_sign_in_link_and_later_starts_only_a_fresh_link()
    {
        using var data = new TestDataDir();
        string firstLink;
        await using (var first = await ServerProcess.StartAsync(data, bootstrapToken: null, dataDirFromEnvironment: true))
        {
            var token = (await first.WaitForOutputAsync(PrintedToken(), "the printed API token")).Value;
            firstLink = (await first.WaitForOutputAsync(SignInLink(), "the sign-in link")).Groups[1].Value;
            var owner = new CattyClient(new HttpClient { BaseAddress = first.BaseAddress }, token);
            Assert.Empty(await owner.ListSessionsAsync());
            Assert.True(File.Exists(Path.Combine(data.Path, "catty.db")), "CATTY_DATA_DIR names the data directory");
        }

        await using var second = await ServerProcess.StartAsync(data, bootstrapToken: null);
        var secondLink = (await second.WaitForOutputAsync(SignInLink(), "the sign-in link")).Groups[1].Value;
        Assert.NotEqual(firstLink, secondLink);
        Assert.DoesNotMatch(PrintedToken(), second.Output);
    }

    [Fact]
    public async Task A_data_directory_too_long_for_agent_sockets_stops_the_server_with_a_clear_message()
    {
        var tooLong = Path.Combine("/tmp", "cty-" + new string('x', 90));

        var (exitCode, output) = await ServerProcess.RunToFailureAsync(tooLong);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("too long for agent sockets", output, StringComparison.Ordinal);
        if (Directory.Exists(tooLong))
        {
            Directory.Delete(tooLong, recursive: true);
        }
    }

    [GeneratedRegex(@"catty_[A-Za-z0-9_-]{40,}")]
    private static partial Regex PrintedToken();

    [GeneratedRegex(@"/signin\?code=([2-9A-Z]{4}-[2-9A-Z]{4})")]
    private static partial Regex SignInLink();
}
