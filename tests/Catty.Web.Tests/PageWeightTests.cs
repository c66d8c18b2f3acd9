using System.IO.Compression;
using System.Text.Json;
using Catty.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Catty.Web.Tests;

/// <summary>What each page really downloads, measured in the browser; written to .artifacts/web/page-weights.json.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PageWeightTests(Browsers browsers, SharedServer shared)
{
    private const int SessionsPageBudgetBytes = 60 * 1024;

    [Fact]
    public async Task The_sessions_page_loads_no_terminal_code_and_stays_within_60_KB_gzip()
    {
        var account = await shared.NewAccountAsync();
        var session = await account.CreateShellAsync();
        await using var signedIn = await Dashboard.OpenAsync(browsers, account, Device.Phone);
        await using var dashboard = await signedIn.WithSameSignInAsync(browsers);
        var loaded = new List<IResponse>();
        dashboard.Page.Response += (_, response) => loaded.Add(response);

        await dashboard.Page.GotoAsync("/");
        await Microsoft.Playwright.Assertions.Expect(dashboard.Row(session.Label)).ToBeVisibleAsync();
        var sessionsPage = await WeighAsync(loaded);
        var xtermStyles = await dashboard.Page.EvaluateAsync<int>("() => [...document.styleSheets].flatMap(s => [...s.cssRules]).filter(r => r.cssText.includes('.xterm')).length");

        loaded.Clear();
        await dashboard.OpenSessionAsync(session.Label);
        var sessionView = await WeighAsync(loaded);

        await File.WriteAllTextAsync(Artifacts.PathOf("page-weights.json"), JsonSerializer.Serialize(
            new { sessions_page = sessionsPage, session_view_added = sessionView }, new JsonSerializerOptions { WriteIndented = true }));
        Assert.DoesNotContain(sessionsPage.Files, f => f.Contains("session-view", StringComparison.Ordinal));
        Assert.Equal(0, xtermStyles);
        Assert.True(sessionsPage.JsGzip + sessionsPage.CssGzip <= SessionsPageBudgetBytes, $"sessions page: {sessionsPage}");
        Assert.Contains(sessionView.Files, f => f.Contains("session-view", StringComparison.Ordinal));
        Assert.Contains(sessionView.Files, f => f.EndsWith("/assets/session.css", StringComparison.Ordinal));
    }

    private static async Task<Weight> WeighAsync(IEnumerable<IResponse> responses)
    {
        var weight = new Weight();
        foreach (var response in responses.ToList())
        {
            var path = new Uri(response.Url).AbsolutePath;
            var isJs = path.EndsWith(".js", StringComparison.Ordinal);
            var isCss = path.EndsWith(".css", StringComparison.Ordinal);
            if (!isJs && !isCss)
            {
                continue;
            }

            var gzip = Gzip(await response.BodyAsync());
            weight.Files.Add(path);
            if (isJs)
            {
                weight.JsGzip += gzip;
            }
            else
            {
                weight.CssGzip += gzip;
            }
        }

        return weight;
    }

    private static int Gzip(byte[] body)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return (int)compressed.Length;
    }

    private sealed record Weight
    {
        public List<string> Files { get; } = [];

        public int JsGzip { get; set; }

        public int CssGzip { get; set; }
    }
}
