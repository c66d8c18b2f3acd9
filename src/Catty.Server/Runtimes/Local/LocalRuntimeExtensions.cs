using Catty.Server.Storage;
using Microsoft.Extensions.Options;

namespace Catty.Server.Runtimes.Local;

internal static class LocalRuntimeExtensions
{
    public static IServiceCollection AddLocalRuntime(this IServiceCollection services)
    {
        services.AddOptions<LocalRuntimeOptions>().BindConfiguration(LocalRuntimeOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LocalRuntimeOptions>, LocalRuntimeOptionsValidator>();
        services.AddSingleton<SessionHost>();
        services.AddHostedService<SessionHostStartup>();
        services.AddSingleton<LocalRuntime>();
        services.AddSingleton<ISessionRuntime>(sp => sp.GetRequiredService<LocalRuntime>());
        return services;
    }

    private sealed class LocalRuntimeOptionsValidator(DataDirectory data) : IValidateOptions<LocalRuntimeOptions>
    {
        public ValidateOptionsResult Validate(string? name, LocalRuntimeOptions options)
        {
            var failures = new List<string>();
            var root = SessionHost.ResolveRoot(data.Root, options, HostCalls.Identity().Uid == 0 && options.SessionUidCount > 0);
            var socketBytes = LocalMachine.LongestSocketPathBytes(root);
            if (socketBytes > LocalMachine.MaxSocketPathBytes)
            {
                var which = root == data.Root ? "data directory" : "machines directory";
                failures.Add($"The {which} '{root}' is too long for agent sockets: their paths would be {socketBytes} bytes, "
                    + $"and Unix sockets allow {LocalMachine.MaxSocketPathBytes}. Use a {which} at most "
                    + $"{root.Length - (socketBytes - LocalMachine.MaxSocketPathBytes)} bytes long ({(root == data.Root ? "--data-dir" : "Catty:Runtimes:Local:MachinesDir")}).");
            }

            if (options.SessionUidCount < 0 || options.SessionUidBase < 1000 || (long)options.SessionUidBase + options.SessionUidCount > int.MaxValue - 1)
            {
                failures.Add("Catty:Runtimes:Local:SessionUidBase must be at least 1000 and SessionUidCount between 0 and the uids left above it.");
            }

            var agent = string.IsNullOrWhiteSpace(options.AgentPath) ? AgentProcess.DefaultPath() : options.AgentPath;
            if (!File.Exists(agent))
            {
                failures.Add($"catty-agent not found at '{agent}' (Catty:Runtimes:Local:AgentPath).");
            }

            if (options.Sandbox is not ("auto" or "bwrap" or "none"))
            {
                failures.Add($"Catty:Runtimes:Local:Sandbox must be auto, bwrap or none, not '{options.Sandbox}'.");
            }

            if (options.ProgramStartHold < TimeSpan.Zero || options.ProgramStartHold > TimeSpan.FromHours(1))
            {
                failures.Add("Catty:Runtimes:Local:ProgramStartHold must be between 0 and 1 hour.");
            }

            if (options.StartTimeout <= TimeSpan.Zero || options.StopGrace < TimeSpan.Zero)
            {
                failures.Add("Catty:Runtimes:Local:StartTimeout must be positive and StopGrace not negative.");
            }

            if (options.Cols is < 2 or > 1000 || options.Rows is < 2 or > 1000)
            {
                failures.Add("Catty:Runtimes:Local:Cols and Rows must be between 2 and 1000.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
