using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Catty.Agent.Launch;

/// <summary>
/// The descriptors bwrap reads at start, in the order of <see cref="BubblewrapCommand.ArgsFd"/> and
/// <see cref="BubblewrapCommand.SeccompFd"/>: the NUL-separated arguments carrying the program's environment,
/// and the seccomp program. Memory files, so secrets never touch the disk or a command line.
/// </summary>
internal sealed class SandboxInputs : IDisposable
{
    private readonly SafeFileHandle[] _handles;

    private SandboxInputs(SafeFileHandle[] handles) => _handles = handles;

    public IReadOnlyList<SafeFileHandle> Handles => _handles;

    public static SandboxInputs Open(LaunchPlan plan)
    {
        if (plan.PipedArgs is not { } args || plan.Seccomp is not { } seccomp)
            return new SandboxInputs([]);
        var argsHandle = MemoryFile.Create("catty-sandbox-args", Encode(args));
        try
        {
            return new SandboxInputs([argsHandle, MemoryFile.Create("catty-sandbox-seccomp", seccomp)]);
        }
        catch
        {
            argsHandle.Dispose();
            throw;
        }
    }

    /// <summary>bwrap's <c>--args</c> format: each argument followed by a NUL.</summary>
    public static byte[] Encode(IReadOnlyList<string> args)
    {
        var bytes = new List<byte>();
        foreach (var arg in args)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(arg));
            bytes.Add(0);
        }
        return [.. bytes];
    }

    public void Dispose()
    {
        foreach (var handle in _handles)
            handle.Dispose();
    }
}
