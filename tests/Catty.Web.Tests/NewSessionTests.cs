using System.Text.RegularExpressions;
using Catty.Sdk.Api;
using Catty.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catty.Web.Tests;

/// <summary>"+ New Session": choices, creation, automatic connection, and failures in words.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NewSessionTests(Browsers browsers, SharedServer shared)
{
    [Theory]
    [InlineData(Device.Phone)]
    [InlineData(Device.Desktop)]
    public async Task Creating_a_session_connects_to_it_when_it_is_ready(Device device)
    {
        var account = await shared.NewAccountAsync();
        var region = (await account.Client.ListRegionsAsync()).Single();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, device);
        var dialog = await OpenNewSessionAsync(dashboard);

        await Expect(dialog.GetByLabel("Region")).ToHaveValueAsync(region.Id);
        await Expect(dialog.GetByLabel("Region").Locator("option")).ToHaveTextAsync([region.Name]);
        await Expect(dialog.GetByLabel("Duration")).ToHaveValueAsync("2");
        await Expect(dialog.GetByLabel("Duration").Locator("option")).ToHaveTextAsync(["1 hour", "2 hours", "3 hours", "4 hours", "5 hours", "6 hours", "7 hours", "8 hours"]);
        await dialog.GetByLabel("Agent").SelectOptionAsync("shell");
        await dialog.GetByLabel("Duration").SelectOptionAsync("3");
        if (device == Device.Phone)
        {
            await dashboard.ScreenshotAsync("new-session");
        }

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/sessions/[a-z]+-[a-z]+-\\d{4}$"));
        await dashboard.WaitConnectedAsync();
        var label = dashboard.Page.Url.Split('/')[^1];
        var session = await account.Client.GetSessionAsync(label);
        Assert.Equal(("running", "shell", region.Id), (session.Status, session.Agent, session.Region));
        Assert.InRange(session.ExpiresAt!.Value - session.CreatedAt, TimeSpan.FromHours(3) - TimeSpan.FromSeconds(5), TimeSpan.FromHours(3) + TimeSpan.FromSeconds(5));
        Assert.Empty(dashboard.Refusals);
    }

    [Fact]
    public async Task Reaching_the_session_limit_is_said_in_words()
    {
        await using var server = await DashboardServer.StartAsync(new Dictionary<string, string> { ["Catty:Sessions:MaxRunningPerUser"] = "1" });
        var account = await server.NewAccountAsync();
        await account.CreateShellAsync();
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone);
        var dialog = await OpenNewSessionAsync(dashboard);

        await dialog.GetByLabel("Agent").SelectOptionAsync("shell");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("Session limit reached");
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("Stop a running session");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Create" })).ToBeEnabledAsync();
        Assert.Single(await account.Client.ListSessionsAsync());
    }

    [Fact]
    public async Task The_agents_come_from_the_server_and_one_not_installed_is_marked_and_refused_in_words()
    {
        var account = await shared.NewAccountAsync();
        Assert.Contains(new AgentInfo(SharedServer.MissingAgent, Installed: false), await account.Client.ListAgentsAsync());
        await using var dashboard = await Dashboard.OpenAsync(browsers, account, Device.Phone);
        var dialog = await OpenNewSessionAsync(dashboard);
        var agent = dialog.GetByLabel("Agent");
        var ghost = agent.Locator($"option[value={SharedServer.MissingAgent}]");
        await Expect(ghost).ToHaveTextAsync($"{SharedServer.MissingAgent} (not installed)");
        await Expect(agent.Locator("option[value=shell]")).ToHaveTextAsync("Shell");
        Assert.True(await ghost.EvaluateAsync<bool>("option => option.disabled"), "a missing agent cannot be chosen");

        // As if the list had been read before the program went away: the server has the last word.
        await agent.EvaluateAsync("(select, name) => select.value = name", SharedServer.MissingAgent);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("Agent not installed");
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync(SharedServer.MissingProgram);
        Assert.Empty(await account.Client.ListSessionsAsync());
    }

    [Fact]
    public async Task A_region_that_is_gone_is_said_in_words()
    {
        await using var dashboard = await Dashboard.OpenAsync(browsers, await shared.NewAccountAsync(), Device.Phone);
        var dialog = await OpenNewSessionAsync(dashboard);

        await dialog.GetByLabel("Region").EvaluateAsync("select => { select.append(new Option('Mars', 'mars')); select.value = 'mars'; }");
        await dialog.GetByLabel("Agent").SelectOptionAsync("shell");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("Region unavailable");
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("mars");
    }

    private static async Task<ILocator> OpenNewSessionAsync(Dashboard dashboard)
    {
        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "+ New Session" }).ClickAsync();
        var dialog = dashboard.Page.GetByRole(AriaRole.Dialog, new() { Name = "New session" });
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Create" })).ToBeEnabledAsync();
        return dialog;
    }
}
