using System.Net;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Catty.Server.Tests;

public sealed class RegionTests
{
    [Fact]
    public async Task Configured_regions_are_listed_with_their_names_and_sessions_run_in_the_one_asked_for()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Regions:Default"] = "lab";
            s.Settings["Catty:Regions:Available:lab:Name"] = "Lab (rack 3)";
            s.Settings["Catty:Regions:Available:lab:Runtime"] = "local";
            s.Settings["Catty:Regions:Available:desk:Runtime"] = "local";
        });

        var regions = await server.Client.ListRegionsAsync();
        var defaulted = await server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"));
        var asked = await server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell", Region: "desk"));
        var refused = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell", Region: "local")));

        Assert.Equal([new RegionInfo("desk", $"Local ({Environment.MachineName})", "local"), new RegionInfo("lab", "Lab (rack 3)", "local")], regions);
        Assert.Equal("lab", (await server.Client.GetSessionAsync(defaulted.Label)).Region);
        Assert.Equal("desk", (await server.Client.GetSessionAsync(asked.Label)).Region);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_region"), (refused.Status, refused.Error));
        Assert.Contains("desk, lab", refused.ApiMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Catty:Regions:Available:lab:Runtime", "kubernetes", "Runtime 'kubernetes' is not one of")]
    [InlineData("Catty:Regions:Default", "nowhere", "nowhere")]
    [InlineData("Catty:Regions:Available:Bad_Id:Runtime", "local", "'Bad_Id' is not a region id")]
    public async Task A_region_that_cannot_work_stops_the_server_at_start(string key, string value, string message)
    {
        var failed = await Assert.ThrowsAsync<OptionsValidationException>(() => CattyTestServer.StartAsync(s => s.Settings[key] = value));

        Assert.Contains(message, failed.Message, StringComparison.Ordinal);
    }
}
