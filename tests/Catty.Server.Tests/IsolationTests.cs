using System.Text;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests;

public sealed class IsolationTests
{
    [Fact]
    public async Task Secrets_reach_the_session_environment_but_no_file_of_the_data_directory_nor_the_server_logs()
    {
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync(new Dictionary<string, string> { ["MY_SECRET"] = secret });

        await using (var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            // The program proves it has the value without printing it, so no output log can hold it either.
            await terminal.SendAsync("printf %s \"$MY_SECRET\" | sha256sum\r");
            await terminal.ReadUntilAsync(hash);
        }

        await server.Client.StopSessionAsync(session.Label);
        var files = Directory.EnumerateFiles(server.DataDir.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).ToList();
        Assert.Contains(files, f => f.EndsWith("agent.log", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("output.log", StringComparison.Ordinal));
        foreach (var file in files)
        {
            Assert.False((await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0, $"{file} holds the secret");
        }

        Assert.NotEmpty(server.Logs.Lines);
        Assert.DoesNotContain(secret, server.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_secret_is_named_in_the_error_but_its_value_is_not()
    {
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        await using var server = await CattyTestServer.StartAsync();

        foreach (var name in new[] { "AWS_SECRET_ACCESS_KEY", "NOT-A-NAME", "PATH" })
        {
            var refused = await Assert.ThrowsAsync<Catty.Sdk.Api.CattyApiException>(() =>
                server.CreateShellAsync(new Dictionary<string, string> { [name] = secret }));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.Status);
            Assert.Contains(name, refused.ApiMessage, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, refused.ApiMessage, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(secret, server.Logs.AllText, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(server.DataDir.Path, "catty.db*"))
        {
            Assert.DoesNotContain(secret, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task From_inside_a_session_the_data_directory_and_other_workspaces_cannot_be_read()
    {
        await using var server = await CattyTestServer.StartAsync();
        var mine = await server.CreateShellAsync();
        var other = await server.CreateShellAsync();
        var database = Path.Combine(server.DataDir.Path, "catty.db");
        var otherWorkspace = Path.Combine(server.DataDir.Path, "workspaces", other.MachineId);
        await File.WriteAllTextAsync(Path.Combine(otherWorkspace, "private.txt"), "other session's file");

        await using var terminal = await TerminalClient.ConnectAsync(mine.ConnectUrl, mine.Headers);
        foreach (var path in new[] { database, Path.Combine(server.DataDir.Path, "server.key"), Path.Combine(otherWorkspace, "private.txt"), server.DataDir.Path })
        {
            await terminal.SendAsync($"if [ -e '{path}' ]; then echo \"VISIBLE-$((40+2))\"; else echo \"HIDDEN-$((40+2))\"; fi\r");
            var answer = await terminal.ReadUntilAsync("-42\r\n");
            Assert.True(answer.TrimEnd().EndsWith("HIDDEN-42", StringComparison.Ordinal), $"{path} is visible from inside the session: {answer}");
        }

        await terminal.SendAsync("touch mine.txt && pwd && echo \"done-$((1+1))\"\r");
        await terminal.ReadUntilAsync("done-2");
        Assert.True(File.Exists(Path.Combine(server.DataDir.Path, "workspaces", mine.MachineId, "mine.txt")));
    }
}
