using System.Text;

namespace Catty.Pty.Tests;

public sealed class TerminalTests
{
    [Fact]
    public async Task Cat_echoes_typed_input_and_ends_on_ctrl_d()
    {
        using var term = TerminalSession.Start("cat");

        term.Send("hello pty\n");
        // Once from the terminal's echo, once from cat.
        term.ReadUntil("hello pty\r\n");
        term.ReadUntil("hello pty\r\n");

        term.Send("\x04");
        Assert.Equal(new PtyExitStatus(0, null), await term.WaitForExitAsync());
    }

    [Fact]
    public void Shell_runs_typed_commands()
    {
        using var term = TerminalSession.Bash();

        // The quotes keep the typed line's echo from matching the output.
        term.Send("echo round\"\"trip $((6*7))\n");
        term.ReadUntil("roundtrip 42");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Multibyte_text_split_across_tiny_reads_reassembles_exactly(int readBufferSize)
    {
        string text = string.Concat(Enumerable.Repeat("héllo wörld ✓ 日本語 🙂 ", 400));
        var env = TerminalSession.BaseEnvironment();
        env["TEXT"] = text;
        using var term = TerminalSession.Start(
            new PtyStartOptions(["/bin/sh", "-c", "printf '%s' \"$TEXT\""]) { Environment = env }, readBufferSize);

        byte[] output = term.ReadToEnd();

        Assert.Equal(Encoding.UTF8.GetBytes(text), output);
        Assert.Equal(text, term.Text);
    }

    [Fact]
    public void Window_size_is_set_at_start_and_by_resize()
    {
        // No line editing: readline's own SIGWINCH handling races typed-ahead input, and only the
        // terminal's size is under test here.
        using var term = TerminalSession.Start(
            new PtyStartOptions(["bash", "--noprofile", "--norc", "--noediting", "-i"]) { Environment = TerminalSession.BaseEnvironment(), Cols = 132, Rows = 43 });

        term.Send("echo si\"\"ze=$(stty size)\n");
        term.ReadUntil("size=43 132");

        term.Pty.Resize(100, 40);
        term.Send("echo si\"\"ze=$(stty size)\n");
        term.ReadUntil("size=40 100");
    }

    [Fact]
    public void Resize_delivers_sigwinch_to_the_foreground_job()
    {
        // The shell waits in the `wait` builtin, which returns to run a trap as soon as the signal arrives.
        using var term = TerminalSession.Start("bash", "-c",
            "trap 'echo \"WINCH $(stty size)\"' WINCH; echo ready; sleep 100 & wait; wait");
        term.ReadUntil("ready");

        term.Pty.Resize(90, 30);

        term.ReadUntil("WINCH 30 90");
    }

    [Fact]
    public void Ctrl_c_interrupts_the_foreground_job_and_the_prompt_returns()
    {
        using var term = TerminalSession.Bash();
        // The job prints only once it runs as the foreground process group.
        term.Send("sh -c 'echo sleep\"\"ing; exec sleep 100'\n");
        term.ReadUntil("sleeping");

        term.Send("\x03");

        term.Send("echo st\"\"atus=$?\n");
        term.ReadUntil("status=130");
    }

    [Fact]
    public void SignalForeground_interrupts_the_foreground_job_but_not_the_shell()
    {
        using var term = TerminalSession.Bash();
        term.Send("sh -c 'echo sleep\"\"ing; exec sleep 100'\n");
        term.ReadUntil("sleeping");
        Assert.NotEqual(term.Pty.Pid, term.Pty.ForegroundProcessGroup);

        Assert.True(term.Pty.SignalForeground(PtySignals.SIGINT));

        term.Send("echo st\"\"atus=$?\n");
        term.ReadUntil("status=130");
        Assert.Equal(term.Pty.Pid, term.Pty.ForegroundProcessGroup);
        Assert.Null(term.Pty.ExitStatus);
    }

    [Fact]
    public void Working_directory_and_environment_are_applied()
    {
        string dir = Directory.CreateTempSubdirectory("catty-pty-").FullName;
        try
        {
            var env = TerminalSession.BaseEnvironment();
            env["FOO"] = "bar baz ✓";
            using var term = TerminalSession.Start(
                new PtyStartOptions(["/bin/sh", "-c", "echo \"cwd=$(pwd)\"; echo \"foo=$FOO\"; echo \"unset=${HOSTNAME-none}\""])
                {
                    Environment = env,
                    WorkingDirectory = dir,
                });

            string output = Encoding.UTF8.GetString(term.ReadToEnd());

            Assert.Equal($"cwd={dir}\r\nfoo=bar baz ✓\r\nunset=none\r\n", output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_null_environment_inherits_this_process_environment()
    {
        using var term = TerminalSession.Start(new PtyStartOptions(["/bin/sh", "-c", "printf '%s' \"$PATH\""]));

        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), Encoding.UTF8.GetString(term.ReadToEnd()));
    }

    [Fact]
    public void Child_starts_with_default_signal_dispositions()
    {
        // .NET ignores SIGPIPE; a child that inherited that would see EPIPE instead of dying.
        using var term = TerminalSession.Start("bash", "-c", "yes | head -n 1 >/dev/null; echo \"pipe=${PIPESTATUS[0]}\"");

        term.ReadUntil("pipe=141");
    }
}
