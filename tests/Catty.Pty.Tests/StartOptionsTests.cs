namespace Catty.Pty.Tests;

public sealed class StartOptionsTests
{
    [Fact]
    public void Empty_argv_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => PtyProcess.Start(new PtyStartOptions([])));
        Assert.Throws<ArgumentException>(() => PtyProcess.Start(new PtyStartOptions([""])));
    }

    [Fact]
    public void Nul_in_an_argument_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => PtyProcess.Start(new PtyStartOptions(["echo", "a\0b"])));
        Assert.Contains("Argv[1]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("A=B")]
    public void Bad_environment_names_are_rejected(string name)
    {
        var options = new PtyStartOptions(["true"]) { Environment = new Dictionary<string, string> { [name] = "x" } };
        Assert.Throws<ArgumentException>(() => PtyProcess.Start(options));
    }

    [Fact]
    public void A_missing_working_directory_is_reported_as_such()
    {
        string missing = Path.Combine(Path.GetTempPath(), "catty-pty-missing-" + Guid.NewGuid().ToString("N"));

        var e = Assert.Throws<PtyException>(() => PtyProcess.Start(new PtyStartOptions(["true"]) { WorkingDirectory = missing }));

        Assert.Equal(2, e.Errno);
        Assert.Contains("working directory", e.Message, StringComparison.Ordinal);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 24)]
    [InlineData(80, 0)]
    [InlineData(65536, 24)]
    public void Window_sizes_out_of_range_are_rejected(int cols, int rows)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PtyProcess.Start(new PtyStartOptions(["true"]) { Cols = cols, Rows = rows }));

        using var term = TerminalSession.Start("cat");
        Assert.Throws<ArgumentOutOfRangeException>(() => term.Pty.Resize(cols, rows));
    }

    [Fact]
    public void Reading_into_an_empty_buffer_is_rejected()
    {
        using var term = TerminalSession.Start("cat");
        Assert.Throws<ArgumentException>(() => term.Pty.Read([]));
    }

    [Fact]
    public void A_bad_signal_number_is_reported()
    {
        using var term = TerminalSession.Start("cat");
        Assert.Equal(22, Assert.Throws<PtyException>(() => term.Pty.Signal(1000)).Errno);
    }
}
