using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests;

public partial class SessionApiTests
{
    /// <summary>Where the servers of these tests keep their metadata: SQLite here, PostgreSQL in the subclass.</summary>
    private protected virtual void ChooseDatabase(ServerSetup setup)
    {
    }

    private Task<CattyTestServer> StartServerAsync(Action<ServerSetup>? configure = null) =>
        CattyTestServer.StartAsync(setup =>
        {
            ChooseDatabase(setup);
            configure?.Invoke(setup);
        });

    [Fact]
    public async Task A_session_is_created_listed_found_by_id_and_label_stopped_and_deleted()
    {
        await using var server = await StartServerAsync();

        var created = await server.CreateShellAsync();

        Assert.Matches(LabelPattern(), created.Label);
        Assert.Matches("^[0-9a-f]{12}$", created.MachineId);
        Assert.Equal($"ws://{server.BaseAddress.Authority}/v1/sessions/{created.SessionId}/connect", created.ConnectUrl);
        Assert.Equal("Bearer " + created.ConnectToken, created.Headers["Authorization"]);
        var listed = Assert.Single(await server.Client.ListSessionsAsync());
        Assert.Equal((created.SessionId, SessionStatus.Running, MachineState.Started, "shell", "local"), (listed.SessionId, listed.Status, listed.MachineState, listed.Agent, listed.Region));
        Assert.Equal(created.Label, (await server.Client.GetSessionAsync(created.SessionId.ToString())).Label);
        var live = await server.Client.GetSessionAsync(created.Label, live: true);
        Assert.Equal(SessionStatus.Running, live.Status);
        Assert.Equal(live.CreatedAt.AddHours(1), live.ExpiresAt);
        Assert.True(server.DataDir.AgentAlive(created.MachineId));
        var agent = server.DataDir.AgentIdentity(created.MachineId);
        Assert.Equal((agent.Pid, agent.Pid), (agent.ProcessGroup, agent.Session));

        await server.Client.StopSessionAsync(created.Label);

        var stopped = await server.Client.GetSessionAsync(created.Label);
        Assert.Equal((SessionStatus.Stopped, StopReason.User, MachineState.Destroyed), (stopped.Status, stopped.StopReason, stopped.MachineState));
        Assert.NotNull(stopped.StoppedAt);
        Assert.False(server.DataDir.AgentAlive(created.MachineId));
        await server.Client.StopSessionAsync(created.Label);
        Assert.Equal(StopReason.User, (await server.Client.GetSessionAsync(created.Label)).StopReason);

        await server.Client.StopSessionAsync(created.Label, delete: true);

        var gone = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.GetSessionAsync(created.Label));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (gone.Status, gone.Error));
        Assert.False(Directory.Exists(server.DataDir.StateDirOf(created.MachineId)));
    }

    [Fact]
    public async Task Stop_with_delete_answers_200_with_the_final_session_and_plain_stop_answers_204()
    {
        await using var server = await StartServerAsync();
        var kept = await server.CreateShellAsync();
        var dropped = await server.CreateShellAsync();

        using var stop = await server.Client.Http.PostAsync($"v1/sessions/{kept.Label}/stop", null);
        using var delete = await server.Client.Http.PostAsync($"v1/sessions/{dropped.Label}/stop?delete=true", null);

        Assert.Equal(HttpStatusCode.NoContent, stop.StatusCode);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Contains($"\"label\":\"{dropped.Label}\"", await delete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal([kept.Label], (await server.Client.ListSessionsAsync()).Select(s => s.Label));
    }

    [Fact]
    public async Task The_list_shows_running_sessions_first_then_the_newest()
    {
        await using var server = await StartServerAsync();
        var oldest = await server.CreateShellAsync();
        var middle = await server.CreateShellAsync();
        var newest = await server.CreateShellAsync();
        await server.Client.StopSessionAsync(newest.Label);

        var labels = (await server.Client.ListSessionsAsync()).Select(s => s.Label);

        Assert.Equal([middle.Label, oldest.Label, newest.Label], labels);
    }

    [Fact]
    public async Task Logs_come_from_the_agent_while_running_and_from_its_output_file_after_stop()
    {
        await using var server = await StartServerAsync();
        var session = await server.CreateShellAsync();
        await using (var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            await terminal.SendAsync("echo logged-$((20+3))\r");
            await terminal.ReadUntilAsync("logged-23");
        }

        Assert.Contains("logged-23", Encoding.UTF8.GetString(await server.Client.GetLogsAsync(session.Label)), StringComparison.Ordinal);
        await server.Client.StopSessionAsync(session.Label);
        Assert.Contains("logged-23", Encoding.UTF8.GetString(await server.Client.GetLogsAsync(session.SessionId.ToString())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_users_session_is_the_same_404_as_one_that_does_not_exist()
    {
        await using var server = await StartServerAsync();
        var mine = await server.CreateShellAsync();
        var stranger = server.NewClient(await server.CreateWithTokenAsync("stranger@example.com"));

        var byLabel = await Assert.ThrowsAsync<CattyApiException>(() => stranger.GetSessionAsync(mine.Label));
        var byId = await Assert.ThrowsAsync<CattyApiException>(() => stranger.GetSessionAsync(mine.SessionId.ToString()));
        var stop = await Assert.ThrowsAsync<CattyApiException>(() => stranger.StopSessionAsync(mine.Label));
        var logs = await Assert.ThrowsAsync<CattyApiException>(() => stranger.GetLogsAsync(mine.Label));
        var unknown = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.GetSessionAsync("calm-otter-1234"));

        foreach (var error in new[] { byLabel, byId, stop, logs, unknown })
        {
            Assert.Equal((HttpStatusCode.NotFound, "not_found"), (error.Status, error.Error));
        }

        Assert.Equal($"No session '{mine.Label}'.", byLabel.ApiMessage);
        Assert.Equal("No session 'calm-otter-1234'.", unknown.ApiMessage);
        Assert.Empty(await stranger.ListSessionsAsync());
        Assert.Equal(SessionStatus.Running, (await server.Client.GetSessionAsync(mine.Label)).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("catty_this-token-was-never-issued-by-the-server")]
    [InlineData("not-even-a-catty-token")]
    public async Task Calls_without_a_valid_token_are_401_unauthorized(string? token)
    {
        await using var server = await StartServerAsync();
        var client = server.NewClient(token);

        var list = await Assert.ThrowsAsync<CattyApiException>(() => client.ListSessionsAsync());
        var create = await Assert.ThrowsAsync<CattyApiException>(() => client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell")));
        var regions = await Assert.ThrowsAsync<CattyApiException>(() => client.ListRegionsAsync());

        foreach (var error in new[] { list, create, regions })
        {
            Assert.Equal((HttpStatusCode.Unauthorized, "unauthorized"), (error.Status, error.Error));
            Assert.False(string.IsNullOrWhiteSpace(error.ApiMessage));
        }

        Assert.Empty(server.DataDir.MachinesDir is var dir && Directory.Exists(dir) ? Directory.GetDirectories(dir) : []);
    }

    [Fact]
    public async Task Regions_list_the_local_region_named_after_this_machine()
    {
        await using var server = await StartServerAsync();

        var region = Assert.Single(await server.Client.ListRegionsAsync());

        Assert.Equal(("local", $"Local ({Environment.MachineName})", "local"), (region.Id, region.Name, region.Runtime));
        Assert.Equal(["fra", "iad", "lhr", "nrt", "sjc", "syd"], region.Aliases!);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_sessions_api()
    {
        await using var server = await StartServerAsync();

        var document = await server.NewClient(null).Http.GetStringAsync("openapi/v1.json");

        Assert.Contains("\"/v1/sessions\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/v1/sessions/{idOrLabel}/stop\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/v1/regions\"", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_the_running_session_limit_creation_is_402_quota_exceeded()
    {
        await using var server = await StartServerAsync(s => s.Settings["Catty:Sessions:MaxRunningPerUser"] = "1");
        var first = await server.CreateShellAsync();

        var refused = await Assert.ThrowsAsync<CattyApiException>(() => server.CreateShellAsync());

        Assert.Equal((HttpStatusCode.PaymentRequired, "quota_exceeded"), (refused.Status, refused.Error));
        await server.Client.StopSessionAsync(first.Label);
        await server.CreateShellAsync();
    }

    [Fact]
    public async Task With_a_public_url_connect_urls_and_the_allowed_origin_follow_it()
    {
        await using var server = await StartServerAsync(s => s.Settings["Catty:PublicUrl"] = "https://catty.example.com/");

        var session = await server.CreateShellAsync();

        Assert.Equal($"wss://catty.example.com/v1/sessions/{session.SessionId}/connect", session.ConnectUrl);
        var local = session.ConnectUrl.Replace("wss://catty.example.com", $"ws://{server.BaseAddress.Authority}", StringComparison.Ordinal);
        await using var terminal = await TerminalClient.ConnectAsync(local, session.Headers, origin: "https://catty.example.com");
        await terminal.SendAsync("echo public-$((4*4))\r");
        await terminal.ReadUntilAsync("public-16");
    }

    [Fact]
    public async Task An_agent_that_exits_at_start_fails_the_session_with_a_clear_error()
    {
        await using var server = await StartServerAsync(s => s.Settings["Catty:Runtimes:Local:AgentPath"] = "/bin/false");

        var refused = await Assert.ThrowsAsync<CattyApiException>(() => server.CreateShellAsync());

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "session_failed"), (refused.Status, refused.Error));
        Assert.Contains("exited during start", refused.ApiMessage, StringComparison.Ordinal);
        var failed = Assert.Single(await server.Client.ListSessionsAsync());
        Assert.Equal((SessionStatus.Failed, MachineState.Destroyed), (failed.Status, failed.MachineState));
    }

    [Fact]
    public async Task An_agent_that_never_listens_fails_the_session_after_the_start_timeout()
    {
        using var scripts = new TestDataDir();
        var silent = Path.Combine(scripts.Path, "silent-agent");
        var pidFile = Path.Combine(scripts.Path, "pid");
        await File.WriteAllTextAsync(silent, $"#!/bin/sh\necho $$ > {pidFile}\nexec sleep 600\n");
        File.SetUnixFileMode(silent, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        await using var server = await StartServerAsync(s =>
        {
            s.Settings["Catty:Runtimes:Local:AgentPath"] = silent;
            s.Settings["Catty:Runtimes:Local:StartTimeout"] = "00:00:01";
        });

        var refused = await Assert.ThrowsAsync<CattyApiException>(() => server.CreateShellAsync());

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "session_failed"), (refused.Status, refused.Error));
        Assert.Contains("did not accept connections within 1 s", refused.ApiMessage, StringComparison.Ordinal);
        Assert.Equal(SessionStatus.Failed, Assert.Single(await server.Client.ListSessionsAsync()).Status);
        var pid = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(ProcessExit.WaitFor(pid, Deadline.Default), "the silent agent was left running");
    }

    [GeneratedRegex("^[a-z]+-[a-z]+-[0-9]{4}$")]
    private static partial Regex LabelPattern();
}

/// <summary>The same tests with the metadata in PostgreSQL.</summary>
public sealed class SessionApiTestsOnPostgres : SessionApiTests
{
    private protected override void ChooseDatabase(ServerSetup setup) => setup.UsePostgres();
}
