namespace Catty.Server.Runtimes.Local;

/// <summary>Prepares the machines folder and cgroups at start, refuses a layout that cannot work, and prints the limits in force.</summary>
internal sealed class SessionHostStartup(SessionHost host, LocalRuntime runtime, ILogger<SessionHostStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (host.Prepare(runtime.AgentPath) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var summary = host.Summary();
        logger.LogInformation("{Summary}", summary);
        await Console.Out.WriteLineAsync(summary);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
