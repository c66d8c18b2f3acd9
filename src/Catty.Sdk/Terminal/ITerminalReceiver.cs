namespace Catty.Sdk.Terminal;

/// <summary>What a terminal client does with what arrives; called from the receive loop, one frame at a time.</summary>
public interface ITerminalReceiver
{
    /// <summary>Program output from a binary frame; the span is reused after the call returns.</summary>
    void Output(ReadOnlySpan<byte> bytes);

    /// <summary>One whole text frame (a control message's JSON, not yet parsed); false stops receiving.</summary>
    ValueTask<bool> ControlAsync(ReadOnlyMemory<byte> json, CancellationToken ct);

    /// <summary>A text frame larger than the client's limit arrived and was dropped unread.</summary>
    void OversizedControl(int limitBytes);
}
