using System.Text.RegularExpressions;
using Catty.Cli.Auth;
using Catty.Cli.Config;

namespace Catty.Cli.Tests.Infrastructure;

/// <summary><c>catty login</c> as a person does it: run it, read the code and link it prints, decide in a browser.</summary>
internal static partial class CliLogin
{
    /// <summary>Runs <c>catty login</c> until it prints its code, then lets <paramref name="user"/> press <paramref name="decision"/>.</summary>
    /// <returns>The running catty (to wait for its end) and the page the browser ended on.</returns>
    public static async Task<(RunningCatty Catty, string Page)> DecideAsync(
        TestHome home, Uri server, WebUser user, string decision, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var catty = CattyProcess.Start(home, server, environment ?? new Dictionary<string, string?>(), "login");
        try
        {
            var code = await catty.WaitForAsync(CodeLine(), "the sign-in code");
            var link = await catty.WaitForAsync(LinkLine(), "the sign-in link");
            Assert.Equal(new Uri(server, "device"), new Uri(code.Groups["page"].Value));
            var page = await user.DecideAsync(link.Groups["link"].Value, code.Groups["code"].Value, decision);
            return (catty, page);
        }
        catch
        {
            await catty.DisposeAsync();
            throw;
        }
    }

    /// <summary>A whole approved login; the credentials catty stored.</summary>
    public static async Task<ServerCredentials> ApproveAsync(TestHome home, Uri server, WebUser user)
    {
        var (catty, _) = await DecideAsync(home, server, user, "approve");
        await using (catty)
        {
            Assert.True(await catty.ExitAsync() == 0, catty.Output);
        }

        return Stored(home, server) ?? throw new InvalidOperationException("catty login stored nothing:\n" + catty.Output);
    }

    public static ServerCredentials? Stored(TestHome home, Uri server) => new CredentialStore(new CattyHome(home.Home)).Get(server);

    [GeneratedRegex(@"open (?<page>\S+) and enter the code (?<code>[A-Z]{4}-[A-Z]{4})")]
    private static partial Regex CodeLine();

    [GeneratedRegex(@"or open (?<link>\S+)")]
    private static partial Regex LinkLine();
}
