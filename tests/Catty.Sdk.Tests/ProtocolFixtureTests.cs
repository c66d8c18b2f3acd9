using System.Text.Json;
using System.Text.Json.Nodes;
using Catty.Sdk.Terminal;

namespace Catty.Sdk.Tests;

/// <summary>Holds the C# control messages to the golden JSON shared with the dashboard's protocol.ts.</summary>
public sealed class ProtocolFixtureTests
{
    private static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "fixtures", "protocol");

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(FixtureDir, "*.json").Order())
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_round_trips_exactly(string name)
    {
        var json = File.ReadAllText(Path.Combine(FixtureDir, name + ".json")).Trim();

        var message = JsonSerializer.Deserialize(json, CattyJson.Default.ControlMessage);
        Assert.NotNull(message);
        var again = JsonSerializer.Serialize(message, CattyJson.Default.ControlMessage);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(again)), $"{name}: {json} became {again}");
    }

    [Fact]
    public void Every_message_type_has_a_fixture()
    {
        var types = typeof(ControlMessage).GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonDerivedTypeAttribute), false)
            .Cast<System.Text.Json.Serialization.JsonDerivedTypeAttribute>()
            .Select(a => (string)a.TypeDiscriminator!)
            .ToHashSet();
        var covered = Directory.EnumerateFiles(FixtureDir, "*.json")
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!["type"]!.GetValue<string>())
            .ToHashSet();

        Assert.Empty(types.Except(covered));
    }

    [Fact]
    public void Type_need_not_come_first()
    {
        var message = JsonSerializer.Deserialize("""{"cols":80,"rows":24,"type":"resize"}""", CattyJson.Default.ControlMessage);

        Assert.Equal(new ResizeMessage(80, 24), message);
    }

    [Theory]
    [InlineData("""{"type":"bogus"}""", "type")]
    [InlineData("""{"cols":1}""", "type")]
    [InlineData("""{"type":"resize","cols":80}""", "rows")]
    [InlineData("""{"type":"signal","name":null}""", "name")]
    [InlineData("""not json""", "invalid")]
    [InlineData("""[]""", "invalid")]
    [InlineData("""null""", "null")]
    [InlineData("", "empty")]
    public void Malformed_messages_are_values_not_exceptions(string json, string mentioned)
    {
        var ok = ControlMessageParser.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out var message, out var error);

        Assert.False(ok);
        Assert.Null(message);
        Assert.Contains(mentioned, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Oversized_message_is_refused()
    {
        var huge = new byte[ControlMessageParser.MaxMessageBytes + 1];

        Assert.False(ControlMessageParser.TryParse(huge, out _, out var error));
        Assert.Contains("too large", error, StringComparison.Ordinal);
    }
}
