using System.Diagnostics;

namespace Catty.Cli.Auth;

/// <summary>
/// Opens a link in the person's browser when there is one: <c>$BROWSER</c> if set, else <c>open</c> on macOS
/// and <c>xdg-open</c> under a graphical Linux session. Over SSH or on a server nothing is opened and the
/// printed link is the way in.
/// </summary>
internal sealed class BrowserOpener(Func<string, string?> environment)
{
    public bool TryOpen(string url)
    {
        var command = environment("BROWSER") is { Length: > 0 } browser ? browser
            : OperatingSystem.IsMacOS() ? "open"
            : environment("DISPLAY") is { Length: > 0 } || environment("WAYLAND_DISPLAY") is { Length: > 0 } ? "xdg-open"
            : null;
        if (command is null)
        {
            return false;
        }

        try
        {
            var start = new ProcessStartInfo(command)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(url);
            using var process = Process.Start(start);
            return process is not null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }
}
