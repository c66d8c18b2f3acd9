using System.Text;
using Catty.Agent.Terminal;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Terminal;

public sealed class ClientControlParserTests
{
    [Theory]
    [InlineData("{\"type\":\"resize\",\"cols\":120,\"rows\":40}")]
    [InlineData("{\"rows\":40,\"cols\":120,\"type\":\"resize\"}")]
    public void Parses_resize_with_the_type_anywhere(string json)
    {
        var message = ClientControlParser.Parse(Encoding.UTF8.GetBytes(json), out var error);

        Assert.Null(error);
        Assert.Equal(new ResizeMessage(120, 40), message);
    }

    [Fact]
    public void Parses_signal_ping_and_pong()
    {
        Assert.Equal(new SignalMessage("SIGINT"), ClientControlParser.Parse("{\"type\":\"signal\",\"name\":\"SIGINT\"}"u8, out _));
        Assert.IsType<PingMessage>(ClientControlParser.Parse("{\"type\":\"ping\"}"u8, out _));
        Assert.IsType<PongMessage>(ClientControlParser.Parse("{\"type\":\"pong\",\"extra\":{\"nested\":[1,2]}}"u8, out _));
    }

    [Fact]
    public void Quotes_at_most_forty_characters_of_an_unknown_type()
    {
        var json = "{\"type\":\"" + new string('z', 500) + "\"}";

        Assert.Null(ClientControlParser.Parse(Encoding.UTF8.GetBytes(json), out var error));
        Assert.True(error!.Length < 100, error);
    }
}
