using System.Threading.Channels;

namespace Catty.Cli.Terminal;

/// <summary>
/// Standard input read on a thread of its own (a blocking read on a terminal cannot be cancelled), one
/// chunk per read. Consumers take chunks with a cancellation token, so a connection that ends leaves
/// unread keystrokes for whoever reads next (the reconnect wait, the next connection).
/// </summary>
internal sealed class KeyboardInput
{
    private static readonly Lazy<KeyboardInput> Shared = new(() => new KeyboardInput());

    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleWriter = true });

    private KeyboardInput()
    {
        var reader = new Thread(ReadLoop) { IsBackground = true, Name = "stdin" };
        reader.Start();
    }

    /// <summary>The process's one reader of standard input, started on first use.</summary>
    public static KeyboardInput Instance => Shared.Value;

    public ChannelReader<byte[]> Chunks => _chunks.Reader;

    private void ReadLoop()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = StandardStreams.Input.Read(buffer);
                if (read <= 0)
                {
                    break;
                }

                _chunks.Writer.TryWrite(buffer.AsSpan(0, read).ToArray());
            }
        }
        catch (IOException)
        {
            // The terminal went away.
        }

        _chunks.Writer.TryComplete();
    }
}
