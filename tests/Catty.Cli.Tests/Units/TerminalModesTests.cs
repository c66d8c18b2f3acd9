using System.Text;
using Catty.Cli.Connect;

namespace Catty.Cli.Tests.Units;

/// <summary>Following the modes a session's program sets on the local terminal, so they can be undone on the way out.</summary>
public sealed class TerminalModesTests
{
    [Fact]
    public void Bracketed_paste_is_followed_across_chunk_boundaries_and_its_end_is_reported()
    {
        var modes = new OutputModes();

        Assert.False(modes.Feed("prompt\e[?20"u8));
        Assert.False(modes.WantsBracketedPaste);
        Assert.False(modes.Feed("04h$ "u8));
        Assert.True(modes.WantsBracketedPaste);
        Assert.True(modes.Feed("\e[?2004l\r\n"u8));
        Assert.False(modes.WantsBracketedPaste);
    }

    [Fact]
    public void Leaving_undoes_the_alternate_screen_and_mouse_modes_the_program_left_on()
    {
        var modes = new OutputModes();
        modes.Feed("\e[?1049h\e[?1000;1006h\e[?25l"u8);

        var reset = modes.ResetSequence();

        Assert.Contains("\e[?1049l", reset, StringComparison.Ordinal);
        Assert.Contains("\e[?1000l", reset, StringComparison.Ordinal);
        Assert.Contains("\e[?1006l", reset, StringComparison.Ordinal);
        Assert.Contains("\e[?25h", reset, StringComparison.Ordinal);
        Assert.EndsWith("\e[?2004l", reset, StringComparison.Ordinal);

        modes.Feed(Encoding.ASCII.GetBytes("\e[?1049l\e[?1000l\e[?1006l"));
        Assert.DoesNotContain("1049", modes.ResetSequence(), StringComparison.Ordinal);
    }
}
