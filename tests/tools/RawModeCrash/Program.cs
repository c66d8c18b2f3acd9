using Catty.Cli.Terminal;

// RawMode restores the terminal from its own unhandled-exception handler; this is what it must survive.
var raw = RawMode.Enter(() => "\e[?2004l");
if (raw is null)
{
    await Console.Error.WriteLineAsync("raw-mode-crash: standard input is not a terminal.");
    return 2;
}

GC.KeepAlive(raw);
var thread = new Thread(() => throw new InvalidOperationException("deliberate crash in raw mode")) { IsBackground = true };
thread.Start();
thread.Join();
return 70;
