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

        Assert.Equal(
            [("desk", $"Local ({Environment.MachineName})", "local"), ("lab", "Lab (rack 3)", "local")],
            regions.Select(r => (r.Id, r.Name, r.Runtime)));
        Assert.Equal("lab", (await server.Client.GetSessionAsync(defaulted.Label)).Region);
        Assert.Equal("desk", (await server.Client.GetSessionAsync(asked.Label)).Region);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_region"), (refused.Status, refused.Error));
        Assert.Contains("desk, lab", refused.ApiMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hosted_region_codes_are_aliases_of_the_default_region_unless_configured_otherwise()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Regions:Default"] = "lab";
            s.Settings["Catty:Regions:Available:lab:Runtime"] = "local";
            s.Settings["Catty:Regions:Available:desk:Runtime"] = "local";
            s.Settings["Catty:Regions:Aliases:fra"] = "desk";
            s.Settings["Catty:Regions:Aliases:nrt"] = "";
            s.Settings["Catty:Regions:Aliases:office"] = "desk";
        });

        var regions = (await server.Client.ListRegionsAsync()).ToDictionary(r => r.Id);
        var iad = await server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell", Region: "iad"));
        var fra = await server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell", Region: "fra"));
        var office = await server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell", Region: "office"));
        var off = await Assert.ThrowsAsync<CattyApiException>(() => server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell", Region: "nrt")));

        Assert.Equal(["iad", "lhr", "sjc", "syd"], regions["lab"].Aliases!);
        Assert.Equal(["fra", "office"], regions["desk"].Aliases!);
        Assert.Equal("lab", (await server.Client.GetSessionAsync(iad.Label)).Region);
        Assert.Equal("desk", (await server.Client.GetSessionAsync(fra.Label)).Region);
        Assert.Equal("desk", (await server.Client.GetSessionAsync(office.Label)).Region);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_region"), (off.Status, off.Error));
    }

    [Theory]
    [InlineData("Catty:Regions:Aliases:iad", "mars", "Aliases:iad names 'mars'")]
    [InlineData("Catty:Regions:Aliases:Bad_Alias", "local", "'Bad_Alias' is not a region id")]
    [InlineData("Catty:Regions:Available:lab:Runtime", "kubernetes", "Runtime 'kubernetes' is not one of")]
    [InlineData("Catty:Regions:Default", "nowhere", "nowhere")]
    [InlineData("Catty:Regions:Available:Bad_Id:Runtime", "local", "'Bad_Id' is not a region id")]
    public async Task A_region_that_cannot_work_stops_the_server_at_start(string key, string value, string message)
    {
        var failed = await Assert.ThrowsAsync<OptionsValidationException>(() => CattyTestServer.StartAsync(s => s.Settings[key] = value));

        Assert.Contains(message, failed.Message, StringComparison.Ordinal);
    }
}
