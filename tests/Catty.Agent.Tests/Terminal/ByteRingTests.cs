using Catty.Agent.Terminal;

namespace Catty.Agent.Tests.Terminal;

public sealed class ByteRingTests
{
    [Fact]
    public void Growing_while_the_pending_bytes_wrap_keeps_them_whole_and_in_order()
    {
        var ring = new ByteRing(1024 * 1024);
        var grewWhileWrapped = false;
        for (var i = 0; i < 200; i++)
        {
            // Appends of up to 40 KB against takes of a third of what is pending: the pending bytes wrap
            // the 64 KB ring and outgrow it, more than once, from ever-changing positions.
            var chunk = new byte[(i * 7919 % 40_000) + 1];
            for (var j = 0; j < chunk.Length; j++)
                chunk[j] = Expected(ring.Written + j);
            grewWhileWrapped |= ring.Pending + chunk.Length > 64 * 1024 && ring.Read % (64 * 1024) > 0;
            ring.Append(chunk);

            var taken = new byte[ring.Pending / 3];
            var from = ring.Read;
            ring.Take(taken);
            AssertFollows(taken, from);
        }

        var rest = new byte[ring.Pending];
        var restFrom = ring.Read;
        ring.Take(rest);
        AssertFollows(rest, restFrom);
        Assert.True(grewWhileWrapped);
    }

    private static void AssertFollows(byte[] bytes, long from)
    {
        for (var j = 0; j < bytes.Length; j++)
        {
            if (bytes[j] != Expected(from + j))
                Assert.Fail($"byte {from + j} is {bytes[j]}, not {Expected(from + j)}");
        }
    }

    private static byte Expected(long position) => (byte)(position % 251);
}
