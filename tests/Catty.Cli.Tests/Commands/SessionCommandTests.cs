using System.Text.RegularExpressions;
using Catty.Cli.Tests.Infrastructure;
using Catty.Sdk.Api;

namespace Catty.Cli.Tests.Commands;

/// <summary>login with a token, list, stop, stopall and version against the real server, as separate catty runs.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class SessionCommandTests(CliServer server) : IDisposable
{
    private readonly TestHome _home = new();

    [Fact]
    public async Task Login_with_a_token_checks_it_stores_it_0600_and_list_then_works()
    {
        var refused = await Catty("catty_not-the-token-0123456789abcdefghijkl\n", "login", "--with-token");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("does not accept this token", refused.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home.CattyFolder, "credentials.json")));

        var accepted = await Catty(CliServer.OwnerToken + "\n", "login", "--with-token");

        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        var file = Path.Combine(_home.CattyFolder, "credentials.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Contains(CliServer.OwnerToken, File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Equal(0, (await Catty(null, "list")).ExitCode);
    }

    [Fact]
    public async Task Commands_without_credentials_say_how_to_sign_in()
    {
        var result = await Catty(null, "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("you are not signed in to", result.Err, StringComparison.Ordinal);
        Assert.Contains("catty login", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_and_ls_show_label_status_region_and_age_running_first()
    {
        _home.SignIn(server.BaseAddress);
        var running = await server.CreateShellAsync();
        var stopped = await server.CreateShellAsync();
        await server.Api.StopSessionAsync(stopped.Label);
        try
        {
            var list = await Catty(null, "list");
            var ls = await Catty(null, "ls");

            Assert.True(list.ExitCode == 0, list.ToString());
            // The same rows; the ages are left out, as a session's age may pass a whole minute between the two runs.
            Assert.Equal(WithoutAges(list.Out), WithoutAges(ls.Out));
            var lines = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Matches(@"^LABEL\s+STATUS\s+REGION\s+CREATED$", lines[0]);
            Assert.Matches(Row(running.Label, "running"), list.Out);
            Assert.Matches(Row(stopped.Label, "stopped"), list.Out);
            Assert.True(Array.FindIndex(lines, l => l.StartsWith(running.Label, StringComparison.Ordinal))
                < Array.FindIndex(lines, l => l.StartsWith(stopped.Label, StringComparison.Ordinal)));
        }
        finally
        {
            await server.Api.StopSessionAsync(running.Label);
        }
    }

    [Fact]
    public async Task Stop_stops_stop_delete_deletes_and_an_unknown_label_says_how_to_find_one()
    {
        _home.SignIn(server.BaseAddress);
        var first = await server.CreateShellAsync();
        var second = await server.CreateShellAsync();

        var stop = await Catty(null, "stop", first.Label);
        var delete = await Catty(null, "stop", second.Label, "--delete");
        var unknown = await Catty(null, "stop", "no-such-label-0000");

        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Contains($"Stopped {first.Label}.", stop.Err, StringComparison.Ordinal);
        Assert.Equal(SessionStatus.Stopped, (await server.Api.GetSessionAsync(first.Label)).Status);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.DoesNotContain((await server.Api.ListSessionsAsync()).Select(s => s.Label), l => l == second.Label);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No session 'no-such-label-0000'", unknown.Err, StringComparison.Ordinal);
        Assert.Contains("catty list", unknown.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopall_asks_first_and_stops_every_running_session_only_on_yes()
    {
        _home.SignIn(server.BaseAddress);
        foreach (var session in await server.Api.ListSessionsAsync())
        {
            if (session.Status == SessionStatus.Running)
            {
                await server.Api.StopSessionAsync(session.Label);
            }
        }

        var sessions = new[] { await server.CreateShellAsync(), await server.CreateShellAsync() };

        var declined = await Catty("n\n", "stopall");
        Assert.Equal(1, declined.ExitCode);
        Assert.Contains("Stop 2 running sessions", declined.Err, StringComparison.Ordinal);
        Assert.Contains("nothing was stopped", declined.Err, StringComparison.Ordinal);
        Assert.All(sessions, s => Assert.Contains(s.Label, declined.Err, StringComparison.Ordinal));
        foreach (var session in sessions)
        {
            Assert.Equal(SessionStatus.Running, (await server.Api.GetSessionAsync(session.Label)).Status);
        }

        var confirmed = await Catty("y\n", "stopall");

        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        foreach (var session in sessions)
        {
            Assert.Equal(SessionStatus.Stopped, (await server.Api.GetSessionAsync(session.Label)).Status);
        }

        Assert.Contains("no running sessions", (await Catty(null, "stopall")).Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_version_and_api_flag_beats_the_environment()
    {
        var version = await Catty(null, "version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^catty \d+\.\d+\.\d+", version.Out);

        _home.SignIn(server.BaseAddress);
        var viaFlag = await CattyProcess.RunAsync(_home, new Uri("http://127.0.0.1:9/"), null, "list", "--api", server.BaseAddress.ToString());
        Assert.True(viaFlag.ExitCode == 0, viaFlag.ToString());

        var badFlag = await Catty(null, "list", "--api", "ftp://nowhere");
        Assert.Equal(2, badFlag.ExitCode);
        Assert.Contains("not an http:// or https:// address", badFlag.Err, StringComparison.Ordinal);
    }

    public void Dispose() => _home.Dispose();

    private Task<CattyResult> Catty(string? input, params string[] args) => CattyProcess.RunAsync(_home, server.BaseAddress, input, args);

    private static Regex Row(string label, string status) => new($@"(?m)^{Regex.Escape(label)}\s+{status}\s+\S+\s+(just now|\d+m ago)\s*$");

    private static string[] WithoutAges(string table) =>
        [.. table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3)))];
}
