using System.Text;
using Catty.Agent.Terminal;

namespace Catty.Agent.Tests.Terminal;

public sealed class OutputRingTests
{
    [Fact]
    public void Keeps_the_most_recent_bytes_in_order_across_wraps_and_growth()
    {
        var ring = new OutputRing(10_000);
        var all = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            var piece = $"[{i}]";
            ring.Write(Encoding.ASCII.GetBytes(piece));
            all.Append(piece);
        }

        Assert.Equal(all.ToString()[^10_000..], Encoding.ASCII.GetString(ring.ToArray()));
    }

    [Fact]
    public void A_write_larger_than_the_ring_keeps_its_tail()
    {
        var ring = new OutputRing(8);
        ring.Write("abc"u8);
        ring.Write("0123456789"u8);

        Assert.Equal("23456789", Encoding.ASCII.GetString(ring.ToArray()));
    }
}
