namespace Catty.Testing;

/// <summary>Generous real-time limits: they only matter when something is broken.</summary>
public static class Deadline
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>For a whole program to start (JIT, migrations, sandbox checks), which on a loaded 2-core machine can take a minute.</summary>
    public static readonly TimeSpan ProcessStart = TimeSpan.FromSeconds(120);

    /// <summary>Awaits <paramref name="task"/>, failing with <paramref name="what"/> if it takes longer than the limit.</summary>
    public static async Task<T> Within<T>(this Task<T> task, string what, TimeSpan? limit = null)
    {
        try
        {
            return await task.WaitAsync(limit ?? Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {(limit ?? Default).TotalSeconds} s waiting for {what}.");
        }
    }

    /// <inheritdoc cref="Within{T}(Task{T}, string, TimeSpan?)"/>
    public static async Task Within(this Task task, string what, TimeSpan? limit = null)
    {
        try
        {
            await task.WaitAsync(limit ?? Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {(limit ?? Default).TotalSeconds} s waiting for {what}.");
        }
    }
}
