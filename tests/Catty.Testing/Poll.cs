namespace Catty.Testing;

/// <summary>
/// The one way tests wait for a condition that has no signal to wait on (a file appearing, a process gone, a
/// session's status): check often, fail at a deadline (<see cref="Deadline.Default"/> unless told) saying what
/// was awaited. Output and messages are never polled for: <see cref="TerminalClient"/> waits on their arrival.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(20);

    /// <summary>Checks <paramref name="condition"/> until it holds.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? Deadline.Default);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {(limit ?? Deadline.Default).TotalSeconds} s waiting for {what}.{(describe is null ? "" : "\n" + describe())}");
            }

            await Task.Delay(Every);
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, string, TimeSpan?, Func{string}?)"/>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? limit = null, Func<string>? describe = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, limit, describe);
}
