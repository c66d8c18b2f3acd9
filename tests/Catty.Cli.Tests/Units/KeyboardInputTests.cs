using System.IO.Pipes;
using System.Text;
using System.Threading.Channels;
using Catty.Cli.Terminal;

namespace Catty.Cli.Tests.Units;

/// <summary>
/// Keys are read only while somebody waits for them: what is typed between connections, or while catty
/// exits, stays in the terminal for whoever reads it next (the shell, once catty has gone).
/// </summary>
public sealed class KeyboardInputTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly AnonymousPipeServerStream _terminal = new(PipeDirection.In);
    private readonly AnonymousPipeClientStream _typing;
    private readonly KeyboardInput _keyboard;

    public KeyboardInputTests()
    {
        _typing = new AnonymousPipeClientStream(PipeDirection.Out, _terminal.ClientSafePipeHandle);
        _keyboard = new KeyboardInput(_terminal, (int)_terminal.SafePipeHandle.DangerousGetHandle());
    }

    [Fact]
    public async Task Keys_typed_before_anybody_waits_are_read_for_the_first_who_does()
    {
        Type("ls\r");

        Assert.Equal("ls\r", Encoding.ASCII.GetString(await _keyboard.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Patience)));
    }

    [Fact]
    public async Task Keys_typed_after_the_last_waiter_left_stay_in_the_terminal_for_the_next_reader()
    {
        Type("a");
        Assert.Equal("a", Encoding.ASCII.GetString(await _keyboard.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Patience)));
        using (var giveUp = new CancellationTokenSource())
        {
            var waiting = _keyboard.ReadAsync(giveUp.Token).AsTask();
            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }

        Type("echo typed after catty left\r");

        // The shell's read: it gets every byte, because catty's reader no longer takes any.
        Assert.Equal("echo typed after catty left\r", await ReadTerminalDirectlyAsync("echo typed after catty left\r".Length));
    }

    [Fact]
    public async Task Once_catty_stops_reading_keys_stay_in_the_terminal_even_with_a_waiter()
    {
        Type("x");
        Assert.Equal("x", Encoding.ASCII.GetString(await _keyboard.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Patience)));
        using var exiting = new CancellationTokenSource();
        var stillWaiting = _keyboard.ReadAsync(exiting.Token).AsTask();

        _keyboard.StopReading();
        Type("stty -a\r");

        Assert.Equal("stty -a\r", await ReadTerminalDirectlyAsync("stty -a\r".Length));
        Assert.False(stillWaiting.IsCompleted);
        await exiting.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stillWaiting);
    }

    [Fact]
    public async Task The_end_of_input_ends_every_wait()
    {
        Type("last");
        Assert.Equal("last", Encoding.ASCII.GetString(await _keyboard.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Patience)));

        _typing.Dispose();

        await Assert.ThrowsAsync<ChannelClosedException>(() => _keyboard.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Patience));
    }

    public void Dispose()
    {
        // Reading stops before the pipe closes, so the reader never polls a descriptor number reused elsewhere.
        _keyboard.StopReading();
        _typing.Dispose();
        _terminal.Dispose();
    }

    private void Type(string keys)
    {
        _typing.Write(Encoding.ASCII.GetBytes(keys));
        _typing.Flush();
    }

    private async Task<string> ReadTerminalDirectlyAsync(int count)
    {
        var bytes = new byte[count];
        await Task.Run(() => _terminal.ReadExactly(bytes)).WaitAsync(Patience);
        return Encoding.ASCII.GetString(bytes);
    }
}
