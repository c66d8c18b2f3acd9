using System.Net;
using Catty.Server.Dashboard;
using Catty.Server.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Catty.Server.Tests;

/// <summary>How the server serves the dashboard it was built with, or says that it was built without one.</summary>
public sealed class DashboardTests
{
    [Fact]
    public async Task A_built_dashboard_is_the_page_of_both_routes_with_its_settings_filled_in()
    {
        using var dir = new TestDataDir();
        var web = Directory.CreateDirectory(Path.Combine(dir.Path, "web"));
        await File.WriteAllTextAsync(Path.Combine(web.FullName, "index.html"), "<meta name=\"catty-refresh-seconds\" content=\"%CATTY_REFRESH_SECONDS%\">");
        Directory.CreateDirectory(Path.Combine(web.FullName, "assets", "chunks"));
        await File.WriteAllTextAsync(Path.Combine(web.FullName, "assets", "chunks", "x-ABC.js"), "export const x = 1;");
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Dashboard:Dir"] = web.FullName;
            s.Settings["Catty:Dashboard:RefreshInterval"] = "00:00:45";
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        Assert.Equal("<meta name=\"catty-refresh-seconds\" content=\"45\">", await http.GetStringAsync("/"));
        Assert.Equal("<meta name=\"catty-refresh-seconds\" content=\"45\">", await http.GetStringAsync("/sessions/brave-tiger-1234"));
        using var chunk = await http.GetAsync("/assets/chunks/x-ABC.js");
        Assert.Equal(HttpStatusCode.OK, chunk.StatusCode);
        Assert.Contains("immutable", chunk.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        using var outside = await http.GetAsync("/index.html");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
    }

    [Fact]
    public async Task Without_a_build_the_page_says_so_and_who_is_signed_in()
    {
        await using var server = await CattyTestServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var page = await http.GetStringAsync("/");

        Assert.Contains("The dashboard is not built into this server", page, StringComparison.Ordinal);
        Assert.Contains("Not signed in", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("02:00:00")]
    public async Task A_refresh_interval_outside_one_second_to_an_hour_stops_the_server_at_start(string interval)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            CattyTestServer.StartAsync(s => s.Settings["Catty:Dashboard:RefreshInterval"] = interval));

        Assert.Contains("Catty:Dashboard:RefreshInterval", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shell_fills_in_whole_seconds()
    {
        Assert.Equal("a 90 b", DashboardPages.Shell("a %CATTY_REFRESH_SECONDS% b", new DashboardOptions { RefreshInterval = TimeSpan.FromSeconds(90) }));
    }
}
