using System.Text;
using System.Text.Json.Nodes;
using Catty.Agent.SyncBack;
using Catty.Agent.Terminal;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.SyncBack;

/// <summary>
/// The agent's side of the golden protocol fixtures shared with the dashboard: it accepts the client
/// messages exactly as written there, and its hand-serialized <c>file_change</c> has the fixture's shape.
/// </summary>
public sealed class ProtocolFixtureTests
{
    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "protocol", name + ".json")).Trim();

    [Fact]
    public void The_client_fixtures_for_sync_back_and_uploads_parse()
    {
        Assert.Equal(new SyncBackMessage(true), ClientControlParser.Parse(Encoding.UTF8.GetBytes(Fixture("sync_back")), out var e1));
        Assert.Null(e1);
        Assert.IsType<FileUploadMessage>(ClientControlParser.Parse(Encoding.UTF8.GetBytes(Fixture("file_upload")), out var e2));
        Assert.Null(e2);
        var chunk = Assert.IsType<FileUploadChunkMessage>(ClientControlParser.Parse(Encoding.UTF8.GetBytes(Fixture("file_upload_chunk")), out var e3));
        Assert.Null(e3);
        Assert.Equal(("u1", 0, 3), (chunk.UploadId, chunk.ChunkIndex, chunk.TotalChunks));
    }

    [Fact]
    public void A_file_change_write_matches_the_fixture()
    {
        var expected = JsonNode.Parse(Fixture("file_change"))!;
        var content = Convert.FromBase64String(expected["content"]!.GetValue<string>());

        var actual = JsonNode.Parse(FileChangeJson.Write(expected["path"]!.GetValue<string>(), content, expected["mode"]!.GetValue<int>()));

        Assert.True(JsonNode.DeepEquals(expected, actual), actual!.ToJsonString());
    }

    [Fact]
    public void A_file_change_delete_matches_the_fixture()
    {
        var expected = JsonNode.Parse(Fixture("file_change_delete"))!;

        var actual = JsonNode.Parse(FileChangeJson.Delete(expected["path"]!.GetValue<string>()));

        Assert.True(JsonNode.DeepEquals(expected, actual), actual!.ToJsonString());
    }

    [Fact]
    public void The_sync_back_ack_fixture_is_what_the_agent_sends()
    {
        var json = System.Text.Json.JsonSerializer.Serialize<ControlMessage>(new SyncBackAckMessage(true, "/workspace", 500), Catty.Sdk.CattyJson.Default.ControlMessage);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Fixture("sync_back_ack")), JsonNode.Parse(json)), json);
    }
}
