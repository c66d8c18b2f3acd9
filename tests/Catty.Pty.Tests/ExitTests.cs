using System.Text;

namespace Catty.Pty.Tests;

public sealed class ExitTests
{
    [Fact]
    public async Task Exit_code_is_reported()
    {
        using var term = TerminalSession.Bash();
        term.Send("exit 7\n");

        var status = await term.WaitForExitAsync();

        Assert.Equal(new PtyExitStatus(7, null), status);
        Assert.Null(status.SignalName);
        Assert.Equal(status, term.Pty.ExitStatus);
    }

    [Fact]
    public async Task Death_by_signal_is_reported()
    {
        using var term = TerminalSession.Start("/bin/sh", "-c", "kill -9 $$");

        var status = await term.WaitForExitAsync();

        Assert.Equal(new PtyExitStatus(null, 9), status);
        Assert.Equal("SIGKILL", status.SignalName);
    }

    [Fact]
    public async Task Signal_terminates_the_child()
    {
        using var term = TerminalSession.Start("sleep", "100");

        term.Pty.Signal(PtySignals.SIGTERM);

        Assert.Equal("SIGTERM", (await term.WaitForExitAsync()).SignalName);
        term.Pty.Signal(PtySignals.SIGTERM); // reaped: a no-op, never a signal to a reused pid
    }

    [Fact]
    public async Task All_output_is_delivered_before_the_end_of_output()
    {
        using var term = TerminalSession.Start("/bin/sh", "-c", "seq 1 20000; exit 3");

        byte[] output = term.ReadToEnd();

        string expected = string.Concat(Enumerable.Range(1, 20000).Select(i => $"{i}\r\n"));
        Assert.Equal(expected, Encoding.ASCII.GetString(output));
        Assert.Equal(new PtyExitStatus(3, null), await term.WaitForExitAsync());
    }

    [Fact]
    public async Task Output_written_before_exit_can_be_read_after_the_child_is_reaped()
    {
        using var pty = PtyProcess.Start(new PtyStartOptions(["/bin/sh", "-c", "seq 1 300; exit 5"]));
        using var cts = new CancellationTokenSource(TerminalSession.Deadline);

        Assert.Equal(new PtyExitStatus(5, null), await pty.WaitForExitAsync(cts.Token));

        var output = new MemoryStream();
        var buffer = new byte[256];
        int n;
        while ((n = pty.Read(buffer)) > 0)
            output.Write(buffer, 0, n);
        Assert.Equal(string.Concat(Enumerable.Range(1, 300).Select(i => $"{i}\r\n")), Encoding.ASCII.GetString(output.ToArray()));
        Assert.Equal(0, pty.Read(buffer)); // and it stays ended
    }

    [Fact]
    public async Task Write_after_the_child_has_gone_fails_with_eio_instead_of_hanging()
    {
        using var pty = PtyProcess.Start(new PtyStartOptions(["true"]));
        using var cts = new CancellationTokenSource(TerminalSession.Deadline);
        await pty.WaitForExitAsync(cts.Token);

        var write = Task.Factory.StartNew(() => pty.Write(new byte[1 << 20]), TaskCreationOptions.LongRunning);

        var e = await Assert.ThrowsAsync<PtyException>(() => write.WaitAsync(TerminalSession.Deadline));
        Assert.Equal(5, e.Errno);
    }

    [Fact]
    public async Task Dispose_unblocks_a_blocked_reader_and_hangs_up_without_killing()
    {
        // Ignoring SIGHUP, the child outlives the hangup: its read of the terminal ends and it exits by itself.
        using var pty = PtyProcess.Start(new PtyStartOptions(["/bin/sh", "-c", "trap '' HUP; echo ready; read line; exit 4"]));
        string seen = "";
        var buffer = new byte[64];
        while (!seen.Contains("ready", StringComparison.Ordinal))
        {
            int n = pty.Read(buffer);
            Assert.True(n > 0, $"output ended before 'ready', saw: {seen}");
            seen += Encoding.ASCII.GetString(buffer, 0, n);
        }

        var read = Task.Factory.StartNew(() => pty.Read(new byte[64]), TaskCreationOptions.LongRunning);

        pty.Dispose();

        Assert.Equal(0, await read.WaitAsync(TerminalSession.Deadline));
        Assert.Equal(0, pty.Read(new byte[64]));
        Assert.Throws<ObjectDisposedException>(() => pty.Write("x"u8));
        Assert.Equal(new PtyExitStatus(4, null), await pty.WaitForExitAsync().WaitAsync(TerminalSession.Deadline));
    }

    [Fact]
    public async Task Dispose_sends_the_session_a_hangup()
    {
        using var pty = PtyProcess.Start(new PtyStartOptions(["sleep", "100"]));

        pty.Dispose();

        Assert.Equal("SIGHUP", (await pty.WaitForExitAsync().WaitAsync(TerminalSession.Deadline)).SignalName);
    }

    [Fact]
    public async Task WaitForExitAsync_cancellation_stops_waiting_only()
    {
        using var term = TerminalSession.Start("sleep", "100");
        using var cts = new CancellationTokenSource();
        var wait = term.Pty.WaitForExitAsync(cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Null(term.Pty.ExitStatus);
    }
}
