using System.Text;
using Catty.Cli.Connect;
using Microsoft.Extensions.Time.Testing;

namespace Catty.Cli.Tests.Units;

/// <summary>The keyboard side of a connection: detach keys on the clock, pastes cut out whole, everything else passed on.</summary>
public sealed class KeyboardTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Ctrl_C_twice_within_a_second_detaches_and_the_first_still_reaches_the_session()
    {
        var keyboard = new KeyboardFilter(_time);

        var first = keyboard.Feed([0x03]);
        _time.Advance(TimeSpan.FromMilliseconds(900));
        var second = keyboard.Feed([0x03]);

        Assert.Equal([0x03], Assert.IsType<TypedKeys>(Assert.Single(first)).Bytes);
        Assert.Equal("Ctrl+C twice", Assert.IsType<DetachKeys>(Assert.Single(second)).How);
    }

    [Fact]
    public void Ctrl_C_twice_more_than_a_second_apart_only_interrupts()
    {
        var keyboard = new KeyboardFilter(_time);

        keyboard.Feed([0x03]);
        _time.Advance(TimeSpan.FromMilliseconds(1100));
        var second = keyboard.Feed([0x03]);

        Assert.IsType<TypedKeys>(Assert.Single(second));
    }

    [Fact]
    public void Ctrl_backslash_detaches_at_once_also_in_the_kitty_keyboard_form()
    {
        Assert.IsType<DetachKeys>(new KeyboardFilter(_time).Feed("ls\x1c"u8).Last());
        Assert.IsType<DetachKeys>(new KeyboardFilter(_time).Feed("\e[92;5u"u8).Single());

        var kitty = new KeyboardFilter(_time);
        Assert.IsType<TypedKeys>(kitty.Feed("\e[99;5u"u8).Single());
        Assert.IsType<DetachKeys>(kitty.Feed("\e[99;5u"u8).Single());
    }

    [Fact]
    public void A_bracketed_paste_split_across_reads_is_cut_out_whole()
    {
        var keyboard = new KeyboardFilter(_time);

        var actions = new List<KeyboardAction>();
        foreach (var piece in new[] { "ab\e[20", "0~/tmp/x.p", "ng\e[2", "01~cd" })
        {
            actions.AddRange(keyboard.Feed(Encoding.ASCII.GetBytes(piece)));
        }

        Assert.Equal("ab", Text(actions[0]));
        Assert.IsType<PasteStarted>(actions[1]);
        Assert.Equal("/tmp/x.png", string.Concat(actions.OfType<PastedBytes>().Select(p => Encoding.ASCII.GetString(p.Bytes))));
        Assert.IsType<PasteEnded>(actions[^2]);
        Assert.Equal("cd", Text(actions[^1]));
    }

    [Fact]
    public void Ctrl_C_inside_a_paste_is_pasted_text_and_a_lone_escape_goes_out_at_once()
    {
        var keyboard = new KeyboardFilter(_time);
        var paste = keyboard.Feed("\e[200~\x03\x03\e[201~"u8);
        Assert.DoesNotContain(paste, a => a is DetachKeys);

        Assert.Equal("\e", Text(Assert.Single(keyboard.Feed("\e"u8))));
        Assert.Equal("\e[A", Text(Assert.Single(keyboard.Feed("\e[A"u8))));
    }

    private static string Text(KeyboardAction action) => Encoding.ASCII.GetString(Assert.IsType<TypedKeys>(action).Bytes);
}
