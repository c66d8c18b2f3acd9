namespace Catty.Bench;

/// <summary>
/// A terminal the bench types into and reads from, whatever carries it: Catty's WebSocket (relayed or
/// straight to the agent), ttyd's WebSocket, or a bare PTY read in this process.
/// </summary>
internal interface IBenchTerminal : IAsyncDisposable
{
    /// <summary>Sends keystrokes.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> input, CancellationToken ct);

    /// <summary>Waits for the next piece of program output (at least one byte); valid until the next call.</summary>
    ValueTask<ReadOnlyMemory<byte>> ReceiveOutputAsync(CancellationToken ct);
}
