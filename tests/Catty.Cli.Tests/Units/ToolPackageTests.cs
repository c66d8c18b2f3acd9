using System.Diagnostics;
using System.Reflection;
using Catty.Cli.Tests.Infrastructure;

namespace Catty.Cli.Tests.Units;

/// <summary>catty ships as a .NET tool: packed from this build, installed from a local folder, it runs.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly TestHome _home = new();

    [Fact]
    public async Task The_package_installs_with_dotnet_tool_install_and_runs()
    {
        var repository = Repository();
        var configuration = typeof(ToolPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var packages = Path.Combine(_home.Root, "nupkg");
        var tools = Path.Combine(_home.Root, "tools");

        await RunAsync("dotnet", "pack", Path.Combine(repository, "src", "Catty.Cli"), "-c", configuration, "--no-build", "-o", packages);
        var package = Assert.Single(Directory.GetFiles(packages, "catty.*.nupkg"));
        var version = Path.GetFileNameWithoutExtension(package)["catty.".Length..];
        await RunAsync("dotnet", "tool", "install", "--tool-path", tools, "--add-source", packages, "catty", "--version", version);
        var output = await RunAsync(Path.Combine(tools, "catty"), "version");

        Assert.StartsWith($"catty {version}", output, StringComparison.Ordinal);
    }

    public void Dispose() => _home.Dispose();

    private static string Repository()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Catty.slnx")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The repository root (Catty.slnx) is not above the test assembly.");
    }

    private async Task<string> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _home.Root,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = _home.Home;
        start.Environment["DOTNET_CLI_HOME"] = _home.Home;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().Within($"{program} {args[0]}", TimeSpan.FromMinutes(3));
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed:\n{await output}\n{await error}");
        return await output;
    }
}
