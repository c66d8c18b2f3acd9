using System.Net;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Isolation;

public sealed class SecretNameTests
{
    public static TheoryData<string> SteeringNames { get; } =
    [
        "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "LD_DEBUG_OUTPUT", "BASH_ENV", "ENV", "PROMPT_COMMAND",
        "BASH_FUNC_ls", "SHELLOPTS", "BASHOPTS", "PS4", "IFS", "GCONV_PATH", "GLIBC_TUNABLES", "MALLOC_CHECK_",
        "MALLOC_ARENA_MAX", "LOCPATH", "NLSPATH", "HOSTALIASES", "GETCONF_DIR",
    ];

    [Fact]
    public async Task Names_that_steer_the_loader_or_a_shell_are_refused_naming_the_variable_never_the_value()
    {
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        await using var server = await CattyTestServer.StartAsync();

        foreach (var name in SteeringNames)
        {
            var refused = await Assert.ThrowsAsync<CattyApiException>(() =>
                server.CreateShellAsync(new Dictionary<string, string> { ["GOOD_ONE"] = "fine", [name] = secret }));

            Assert.Equal((HttpStatusCode.BadRequest, "unsafe_secret"), (refused.Status, refused.Error));
            Assert.Contains($"'{name}'", refused.ApiMessage, StringComparison.Ordinal);
            Assert.Contains("dynamic loader or a shell", refused.ApiMessage, StringComparison.Ordinal);
            Assert.Equal(SecretNames.Refusal(name), refused.ApiMessage);
            Assert.DoesNotContain(secret, refused.ApiMessage, StringComparison.Ordinal);
        }

        Assert.Empty(await server.Client.ListSessionsAsync());
        Assert.DoesNotContain(secret, server.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Variables_read_only_by_the_program_inside_the_sandbox_are_allowed_and_reach_it()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync(new Dictionary<string, string>
        {
            ["NODE_OPTIONS"] = "--max-old-space-size=512",
            ["PYTHONPATH"] = "/workspace/lib",
            ["ld_preload"] = "lower case is not read by the loader",
            ["MY_LD_PRELOAD"] = "x",
        });

        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);
        await terminal.SendAsync("echo \"node=[$NODE_OPTIONS]\"\r");
        await terminal.ReadUntilAsync("node=[--max-old-space-size=512]");
    }
}
