using System.Text;
using Catty.Cli.Terminal;

namespace Catty.Cli.Connect;

/// <summary>The keyboard side of a connection: keys out as binary frames, pastes of file paths turned into uploads.</summary>
internal sealed partial class TerminalConnection
{
    private async Task<ConnectionEnd> TypeAsync(CancellationToken ct)
    {
        var paste = new List<byte>();
        var pasteOverflowed = false;
        while (true)
        {
            byte[] chunk;
            try
            {
                chunk = await KeyboardInput.Instance.ReadAsync(ct);
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
                // Standard input ended: nothing more will be typed, but output still comes.
                await Task.Delay(Timeout.Infinite, ct);
                return new Dropped("standard input ended");
            }

            foreach (var action in keyboard.Feed(chunk))
            {
                switch (action)
                {
                    case TypedKeys keys:
                        await SendSizeAsync(ct);
                        await SendBinaryAsync(keys.Bytes, ct);
                        break;
                    case DetachKeys detach:
                        return new Detached(detach.How);
                    case PasteStarted:
                        paste.Clear();
                        pasteOverflowed = false;
                        break;
                    case PastedBytes bytes when pasteOverflowed:
                        await SendBinaryAsync(bytes.Bytes, ct);
                        break;
                    case PastedBytes bytes:
                        paste.AddRange(bytes.Bytes);
                        if (paste.Count > PastedFiles.MaxPasteBytes)
                        {
                            // Too long to be file paths: pass it on as it comes.
                            pasteOverflowed = true;
                            await SendPasteAsync([.. paste], start: true, end: false, ct);
                        }

                        break;
                    case PasteEnded when pasteOverflowed:
                        await SendPasteAsync([], start: false, end: true, ct);
                        break;
                    case PasteEnded:
                        await PasteAsync([.. paste], ct);
                        break;
                }
            }
        }
    }

    /// <summary>A complete paste: uploaded files' remote paths are typed in place of local ones; anything else goes as pasted.</summary>
    private async Task PasteAsync(byte[] pasted, CancellationToken ct)
    {
        if (PastedFiles.Recognise(Encoding.UTF8.GetString(pasted), home) is { } files)
        {
            var remotePaths = new List<string>();
            foreach (var file in files)
            {
                foreach (var message in FileUploads.Messages(file, _workspaceDir))
                {
                    await SendControlAsync(message, ct);
                }

                remotePaths.Add(FileUploads.RemotePath(_workspaceDir, file));
            }

            pasted = Encoding.UTF8.GetBytes(string.Join(' ', remotePaths));
        }

        await SendPasteAsync(pasted, start: true, end: true, ct);
    }

    /// <summary>Pasted bytes, wrapped in bracketed-paste markers when the program asked for them.</summary>
    private Task SendPasteAsync(byte[] bytes, bool start, bool end, CancellationToken ct)
    {
        var wrap = terminal.Modes.WantsBracketedPaste;
        byte[] frame = [.. wrap && start ? "\e[200~"u8 : [], .. bytes, .. wrap && end ? "\e[201~"u8 : []];
        return frame.Length == 0 ? Task.CompletedTask : SendBinaryAsync(frame, ct);
    }
}
