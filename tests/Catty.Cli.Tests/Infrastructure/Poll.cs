
namespace Catty.Cli.Tests.Infrastructure;

/// <summary>Waits for a condition that has no signal to wait on (a file appearing, a session's status), checking often, with a deadline.</summary>
internal static class Poll
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(50);

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

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? limit = null, Func<string>? describe = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, limit, describe);
}
