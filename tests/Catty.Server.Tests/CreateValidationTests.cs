using System.Net;
using System.Text;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests;

/// <summary>One server for all refused creations: nothing in this class starts a session machine, except the allowed-argument case.</summary>
public sealed class ValidationServer : IAsyncLifetime
{
    internal CattyTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Agents:Available:ghost:Command:0"] = "catty-ghost-command-that-is-not-installed";
            s.Settings["Catty:Agents:Available:wrapped:Command:0"] = "bash";
            s.Settings["Catty:Agents:Available:wrapped:Launchers:0"] = "bash-wrapper";
            s.Settings["Catty:Agents:Available:wrapped:AllowedArgs:0"] = "--noprofile";
        });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class CreateValidationTests(ValidationServer fixture) : IClassFixture<ValidationServer>
{
    private CattyTestServer Server => fixture.Server;

    public static TheoryData<string, CreateSessionRequest, string, string> BadRequests => new()
    {
        { "unknown agent", new CreateSessionRequest(Agent: "emacs"), "invalid_agent", "emacs" },
        { "agent not installed", new CreateSessionRequest(Agent: "ghost"), "agent_not_installed", "catty-ghost-command-that-is-not-installed" },
        { "cmd naming another program", new CreateSessionRequest(Agent: "shell", Cmd: ["zsh"]), "invalid_cmd", "zsh" },
        { "cmd adding an argument the agent does not allow", new CreateSessionRequest(Agent: "shell", Cmd: ["bash", "-c", "id"]), "invalid_cmd", "-c" },
        { "launcher with a disallowed argument", new CreateSessionRequest(Agent: "wrapped", Cmd: ["bash-wrapper", "--rcfile"]), "invalid_cmd", "--rcfile" },
        { "reserved secret", new CreateSessionRequest(Agent: "shell", Secrets: new Dictionary<string, string> { ["PATH"] = "/tmp" }), "reserved_secret", "PATH" },
        { "reserved secret prefix", new CreateSessionRequest(Agent: "shell", Secrets: new Dictionary<string, string> { ["AWS_SECRET_ACCESS_KEY"] = "x" }), "reserved_secret", "AWS_SECRET_ACCESS_KEY" },
        { "secret that is not an environment name", new CreateSessionRequest(Agent: "shell", Secrets: new Dictionary<string, string> { ["1BAD-NAME"] = "x" }), "invalid_secret", "1BAD-NAME" },
        { "ttl too short", new CreateSessionRequest(Agent: "shell", TtlSec: 10), "invalid_ttl", "ttl_sec" },
        { "ttl too long", new CreateSessionRequest(Agent: "shell", TtlSec: 90_000), "invalid_ttl", "86400" },
        { "unknown region", new CreateSessionRequest(Agent: "shell", Region: "mars"), "invalid_region", "mars" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_creation_is_a_400_with_a_code_and_a_message_naming_the_problem(string what, CreateSessionRequest request, string error, string named)
    {
        var refused = await Assert.ThrowsAsync<CattyApiException>(() => Server.Client.CreateSessionAsync(request));

        Assert.True(refused.Status == HttpStatusCode.BadRequest, what);
        Assert.Equal(error, refused.Error);
        Assert.Contains(named, refused.ApiMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(await Server.Client.ListSessionsAsync(), s => s.Status == SessionStatus.Running && s.Agent != "wrapped");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_400_invalid_request()
    {
        using var content = new StringContent("{\"agent\": ", Encoding.UTF8, "application/json");
        using var response = await Server.Client.Http.PostAsync("v1/sessions", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"error\":\"invalid_request\",\"message\":\"The request could not be read.\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_past_the_size_limit_is_413()
    {
        var huge = new CreateSessionRequest(Agent: "shell", Secrets: new Dictionary<string, string> { ["BIG"] = new string('x', 2 * 1024 * 1024) });

        var refused = await Assert.ThrowsAsync<CattyApiException>(() => Server.Client.CreateSessionAsync(huge));

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "payload_too_large"), (refused.Status, refused.Error));
    }

    [Fact]
    public async Task An_unknown_route_is_404_in_the_error_shape()
    {
        using var response = await Server.Client.Http.GetAsync("v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("{\"error\":\"not_found\",\"message\":\"No such resource.\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_launcher_word_with_an_allowed_argument_starts_the_agents_own_command()
    {
        var created = await Server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "wrapped", Cmd: ["bash-wrapper", "--noprofile"]));

        await using var terminal = await TerminalClient.ConnectAsync(created.ConnectUrl, created.Headers);
        await terminal.SendAsync("echo \"$0 $((3*3))\"\r");
        await terminal.ReadUntilAsync("bash 9");
        await Server.Client.StopSessionAsync(created.Label, delete: true);
    }
}
