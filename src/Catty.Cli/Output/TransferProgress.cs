using Spectre.Console;

namespace Catty.Cli.Output;

/// <summary>
/// A progress bar on standard error for an upload or a download (bytes, percentage, speed), drawn by
/// Spectre.Console when standard error is a terminal; a plain line when it is not.
/// </summary>
internal static class TransferProgress
{
    public static async Task<T> RunAsync<T>(TextWriter err, bool interactive, string description, long total, Func<IProgress<long>, Task<T>> work)
    {
        if (!interactive)
        {
            err.WriteLine($"{description} ({Bytes.Format(total)})...");
            return await work(new Progress<long>());
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(err) });
        return await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: Math.Max(1, total));
                var result = await work(new Reporter(task));
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>Sets the bar directly: Progress&lt;T&gt; would post to a thread pool and could report after the end.</summary>
    private sealed class Reporter(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Value = Math.Min(value, task.MaxValue);
    }
}
