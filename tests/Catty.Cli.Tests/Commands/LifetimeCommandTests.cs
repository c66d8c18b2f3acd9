using Catty.Cli.Tests.Infrastructure;

namespace Catty.Cli.Tests.Commands;

/// <summary><c>catty extend</c> against the real server, as separate catty runs.</summary>
[Collection(ServerCollection.Name)]
public sealed class LifetimeCommandTests(CliServer server) : IDisposable
{
    private readonly TestHome _home = new();

    [Fact]
    public async Task Extend_adds_an_hour_by_default_takes_for_and_says_why_not()
    {
        _home.SignIn(server.BaseAddress);
        var session = await server.CreateShellAsync();
        try
        {
            var before = (await server.Api.GetSessionAsync(session.Label)).ExpiresAt!.Value;

            var byDefault = await Catty(null, "extend", session.Label);
            var afterDefault = (await server.Api.GetSessionAsync(session.Label)).ExpiresAt!.Value;
            var byFlag = await Catty(null, "extend", session.Label, "--for", "30m");
            var afterFlag = (await server.Api.GetSessionAsync(session.Label)).ExpiresAt!.Value;
            var tooLong = await Catty(null, "extend", session.Label, "--for", "12h");
            var notADuration = await Catty(null, "extend", session.Label, "--for", "soon");

            Assert.True(byDefault.ExitCode == 0, byDefault.ToString());
            Assert.Equal(before.AddHours(1), afterDefault);
            Assert.Contains($"Extended {session.Label}: it stops in ", byDefault.Err, StringComparison.Ordinal);
            Assert.True(byFlag.ExitCode == 0, byFlag.ToString());
            Assert.Equal(afterDefault.AddMinutes(30), afterFlag);
            Assert.Equal(1, tooLong.ExitCode);
            Assert.Contains("at most 8 h from now", tooLong.Err, StringComparison.Ordinal);
            Assert.Equal(afterFlag, (await server.Api.GetSessionAsync(session.Label)).ExpiresAt);
            Assert.NotEqual(0, notADuration.ExitCode);
            Assert.Contains("'soon' is not a duration.", notADuration.Err, StringComparison.Ordinal);
        }
        finally
        {
            await server.Api.StopSessionAsync(session.Label);
        }
    }

    public void Dispose() => _home.Dispose();

    private Task<CattyResult> Catty(string? input, params string[] args) => CattyProcess.RunAsync(_home, server.BaseAddress, input, args);
}
