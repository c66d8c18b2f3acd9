using Catty.Server.CodingAgents;
using Microsoft.Extensions.Options;

namespace Catty.Server.Tests.Units;

public sealed class CodingAgentCatalogTests
{
    private readonly CodingAgentCatalog _catalog = new(Options.Create(new CodingAgentOptions
    {
        Default = "shell",
        Available =
        {
            ["shell"] = new CodingAgentDefinition { Command = ["bash", "-l"] },
            ["wrapped"] = new CodingAgentDefinition { Command = ["/usr/bin/env"], Launchers = ["env-wrapper"], AllowedArgs = ["-0", "-i"] },
        },
    }));

    private static readonly string Bash = ExecutableSearch.Find("bash")!;

    [Fact]
    public void The_server_decides_the_command_from_the_agent_name_and_runs_it_by_its_absolute_path()
    {
        Assert.StartsWith("/", Bash, StringComparison.Ordinal);
        Assert.Equal([Bash, "-l"], _catalog.Resolve(null, null).Value!.Argv);
        Assert.Equal([Bash, "-l"], _catalog.Resolve("shell", []).Value!.Argv);
        Assert.Equal([Bash, "-l"], _catalog.Resolve("shell", ["bash"]).Value!.Argv);
    }

    [Fact]
    public void The_sandbox_folders_and_home_template_of_an_agent_come_with_it()
    {
        var catalog = new CodingAgentCatalog(Options.Create(new CodingAgentOptions
        {
            Default = "tool",
            Available = { ["tool"] = new CodingAgentDefinition { Command = ["/usr/bin/env"], ReadOnlyPaths = ["/srv/tools"], HomeTemplate = "/srv/home" } },
        }));

        var resolved = catalog.Resolve("tool", null).Value!;

        Assert.Equal(["/srv/tools"], resolved.ReadOnlyPaths);
        Assert.Equal("/srv/home", resolved.HomeTemplate);
    }

    [Theory]
    [InlineData("catty-no-such-agent", "'catty-no-such-agent'", "not found on PATH")]
    [InlineData("/opt/catty-no-such/bin/agent", "'/opt/catty-no-such/bin/agent'", "no executable file there")]
    public void An_agent_whose_command_is_missing_is_refused_naming_the_command(string command, string named, string why)
    {
        var catalog = new CodingAgentCatalog(Options.Create(new CodingAgentOptions
        {
            Default = "missing",
            Available = { ["missing"] = new CodingAgentDefinition { Command = [command] } },
        }));

        var outcome = catalog.Resolve("missing", null);

        Assert.True(outcome.Failed);
        Assert.Equal("agent_not_installed", outcome.Error.Value.Error);
        Assert.Contains(named, outcome.Error.Value.Message, StringComparison.Ordinal);
        Assert.Contains(why, outcome.Error.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cmd_may_name_the_command_or_a_launcher_and_add_allowed_arguments()
    {
        Assert.Equal(["/usr/bin/env", "-i", "-0"], _catalog.Resolve("wrapped", ["env-wrapper", "-i", "-0"]).Value!.Argv);
        Assert.Equal(["/usr/bin/env", "-i"], _catalog.Resolve("wrapped", ["env", "-i"]).Value!.Argv);
        Assert.Equal(["/usr/bin/env"], _catalog.Resolve("wrapped", ["/usr/bin/env"]).Value!.Argv);
    }

    [Theory]
    [InlineData("wrapped", "sh", null, "invalid_cmd")]
    [InlineData("wrapped", "env-wrapper", "-u", "invalid_cmd")]
    [InlineData("shell", "bash", "-c", "invalid_cmd")]
    [InlineData("nope", "bash", null, "invalid_agent")]
    public void Anything_else_is_refused(string agent, string first, string? second, string error)
    {
        var outcome = _catalog.Resolve(agent, second is null ? [first] : [first, second]);

        Assert.True(outcome.Failed);
        Assert.Equal(error, outcome.Error.Value.Error);
    }

    [Fact]
    public void Executables_are_found_on_path_like_a_shell_finds_them()
    {
        Assert.Equal("/usr/bin/env", ExecutableSearch.Find("env", "/nonexistent:/usr/bin"));
        Assert.Null(ExecutableSearch.Find("env", "/nonexistent"));
        Assert.Equal("/usr/bin/env", ExecutableSearch.Find("/usr/bin/env", ""));
        Assert.Null(ExecutableSearch.Find("/etc/passwd", ""));
    }
}
