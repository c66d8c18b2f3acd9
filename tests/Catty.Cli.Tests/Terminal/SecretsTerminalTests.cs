using Catty.Cli.Tests.Infrastructure;

namespace Catty.Cli.Tests.Terminal;

/// <summary>Secrets typed unseen, listed by name only, and given to new sessions unless --no-secrets.</summary>
[Collection(ServerCollection.Name)]
public sealed class SecretsTerminalTests(CliServer server) : TerminalTest(server)
{
    [Fact]
    public async Task Secrets_add_reads_the_value_without_showing_it_and_list_shows_names_only()
    {
        await Terminal.RunAsync($"{Catty} secrets add MY_API_KEY");
        await Terminal.WaitForAsync("Value for MY_API_KEY (not shown):");
        await Terminal.RunAsync("s3cr3t-value-typed");
        await Terminal.WaitForAsync("Stored MY_API_KEY.");

        await Terminal.RunAsync($"{Catty} secrets list");
        await Terminal.WaitForAsync("MY_API_KEY\n" + TmuxTerminal.LocalPrompt);

        Assert.DoesNotContain("s3cr3t-value-typed", await Terminal.ScreenAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value-typed", File.ReadAllText(Path.Combine(Home.CattyFolder, "secrets.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_sessions_get_the_secrets_as_environment_variables_unless_no_secrets()
    {
        var set = await CattyProcess.RunAsync(Home, ServerAddress, null, "secrets", "set", "GREETING_TOKEN", "hello-from-secrets");
        Assert.True(set.ExitCode == 0, set.ToString());

        await StartShellSessionAsync("--no-sync-back");
        await Terminal.RunAsync("echo \"token=[$GREETING_TOKEN]\"");
        await Terminal.WaitForAsync("token=[hello-from-secrets]");
        await Terminal.KeyAsync("C-\\");
        await Terminal.WaitForAsync("Detached from");

        await StartShellSessionAsync("--no-sync-back --no-secrets");
        await Terminal.RunAsync("echo \"token=[$GREETING_TOKEN]\"");
        await Terminal.WaitForAsync("token=[]");
    }

    [Fact]
    public async Task Reserved_names_and_missing_secrets_fail_with_what_to_do()
    {
        var reserved = await CattyProcess.RunAsync(Home, ServerAddress, null, "secrets", "set", "AWS_SECRET_ACCESS_KEY", "x");
        var missing = await CattyProcess.RunAsync(Home, ServerAddress, null, "secrets", "remove", "NOT_THERE");

        Assert.Equal(2, reserved.ExitCode);
        Assert.Contains("reserved", reserved.Err, StringComparison.Ordinal);
        Assert.Contains("Choose another name", reserved.Err, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("catty secrets list", missing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_that_steer_the_loader_or_a_shell_are_refused_with_the_servers_words()
    {
        var preload = await CattyProcess.RunAsync(Home, ServerAddress, null, "secrets", "set", "LD_PRELOAD", "/tmp/evil.so");
        var bashEnv = await CattyProcess.RunAsync(Home, ServerAddress, null, "secrets", "set", "BASH_ENV", "x");
        var list = await CattyProcess.RunAsync(Home, ServerAddress, null, "secrets", "list");

        Assert.Equal(2, preload.ExitCode);
        Assert.Contains(global::Catty.Sdk.Api.SecretNames.Refusal("LD_PRELOAD")!, preload.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("/tmp/evil.so", preload.Err, StringComparison.Ordinal);
        Assert.Equal(2, bashEnv.ExitCode);
        Assert.Contains("'BASH_ENV' is refused", bashEnv.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("LD_PRELOAD", list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("BASH_ENV", list.Out, StringComparison.Ordinal);
    }
}
