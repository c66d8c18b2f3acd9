namespace Catty.Agent.Tests.Fixtures;

/// <summary>Waits for a condition on the system (a process gone, a file written) with a deadline.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting until {what}");
            // Polls /proc or the file system, which offer nothing to wait on; not used to wait for output.
            await Task.Delay(15);
        }
    }
}
