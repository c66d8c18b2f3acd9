namespace Catty.Pty.Tests;

public sealed class SignalsTests
{
    [Theory]
    [InlineData("SIGINT", 2)]
    [InlineData("INT", 2)]
    [InlineData("int", 2)]
    [InlineData(" sigkill ", 9)]
    [InlineData("2", 2)]
    [InlineData("WINCH", 28)]
    [InlineData("TSTP", 20)]
    [InlineData("64", 64)]
    public void Names_and_numbers_parse(string name, int expected)
    {
        Assert.True(PtySignals.TryParse(name, out int signal));
        Assert.Equal(expected, signal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SIG")]
    [InlineData("NOPE")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("-9")]
    public void Non_signals_do_not_parse(string name)
    {
        Assert.False(PtySignals.TryParse(name, out int signal));
        Assert.Equal(0, signal);
    }

    [Fact]
    public void Constants_have_their_names()
    {
        Assert.Equal("SIGHUP", PtySignals.Name(PtySignals.SIGHUP));
        Assert.Equal("SIGQUIT", PtySignals.Name(PtySignals.SIGQUIT));
        Assert.Equal("SIGKILL", PtySignals.Name(PtySignals.SIGKILL));
        Assert.Equal("SIGUSR1", PtySignals.Name(PtySignals.SIGUSR1));
        Assert.Equal("SIGUSR2", PtySignals.Name(PtySignals.SIGUSR2));
        Assert.Equal("SIGTERM", PtySignals.Name(PtySignals.SIGTERM));
        Assert.Equal("SIGCONT", PtySignals.Name(PtySignals.SIGCONT));
        Assert.Equal("SIGSTOP", PtySignals.Name(PtySignals.SIGSTOP));
        Assert.Equal("SIGTSTP", PtySignals.Name(PtySignals.SIGTSTP));
        Assert.Equal("SIGWINCH", PtySignals.Name(PtySignals.SIGWINCH));
        Assert.Null(PtySignals.Name(0));
        Assert.Null(PtySignals.Name(40));
    }
}
