using System.Collections;
using System.Runtime.InteropServices;
using Catty.Pty.Native;

namespace Catty.Pty;

/// <summary>
/// Starts a child on the slave side of a terminal with <c>posix_spawnp</c>: glibc runs no managed code
/// between its clone and exec, unlike <c>forkpty</c>, so this is safe in a multi-threaded runtime.
/// </summary>
internal static unsafe class PtySpawner
{
    /// <summary>Spawns the child as a session leader whose controlling terminal is <paramref name="slavePath"/>.</summary>
    /// <returns>The child's pid.</returns>
    public static int Spawn(PtyStartOptions options, string slavePath)
    {
        using var argv = new NativeStringArray(options.Argv);
        using var envp = new NativeStringArray(EnvironmentBlock(options.Environment));

        void* attr = NativeMemory.AllocZeroed(LibC.OpaqueSize);
        void* actions = NativeMemory.AllocZeroed(LibC.OpaqueSize);
        void* sigset = NativeMemory.AllocZeroed(LibC.OpaqueSize);
        bool attrReady = false, actionsReady = false;
        var inherited = new List<int>();
        try
        {
            // Each handle is first copied to a number above every target (3 … 2+n), so that a dup2 onto a
            // target can never overwrite a handle that has yet to be moved; the copies are close-on-exec.
            int firstFree = 3 + options.InheritedHandles.Count;
            foreach (var handle in options.InheritedHandles)
            {
                int copy = LibC.fcntl((int)handle.DangerousGetHandle(), LibC.F_DUPFD_CLOEXEC, firstFree);
                if (copy < 0)
                    throw new PtyException(Marshal.GetLastPInvokeError(), "cannot pass a descriptor to the child");
                inherited.Add(copy);
            }

            Check(LibC.posix_spawnattr_init(attr), "posix_spawnattr_init");
            attrReady = true;
            // This process ignores SIGPIPE and may block signals; the child must start from the defaults.
            Check(LibC.posix_spawnattr_setflags(attr,
                LibC.POSIX_SPAWN_SETSID | LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK), "posix_spawnattr_setflags");
            LibC.sigfillset(sigset);
            Check(LibC.posix_spawnattr_setsigdefault(attr, sigset), "posix_spawnattr_setsigdefault");
            LibC.sigemptyset(sigset);
            Check(LibC.posix_spawnattr_setsigmask(attr, sigset), "posix_spawnattr_setsigmask");

            Check(LibC.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            actionsReady = true;
            // Opened after setsid and without O_NOCTTY, so it becomes the child's controlling terminal.
            // The parent never holds the slave open, so the master sees EIO once the child side is gone.
            Check(LibC.posix_spawn_file_actions_addopen(actions, 0, slavePath, LibC.O_RDWR, 0), "posix_spawn_file_actions_addopen");
            Check(LibC.posix_spawn_file_actions_adddup2(actions, 0, 1), "posix_spawn_file_actions_adddup2");
            Check(LibC.posix_spawn_file_actions_adddup2(actions, 0, 2), "posix_spawn_file_actions_adddup2");
            if (options.WorkingDirectory is { } cwd)
                Check(LibC.posix_spawn_file_actions_addchdir_np(actions, cwd), "posix_spawn_file_actions_addchdir_np");
            for (int i = 0; i < inherited.Count; i++)
                Check(LibC.posix_spawn_file_actions_adddup2(actions, inherited[i], 3 + i), "posix_spawn_file_actions_adddup2");
            Check(LibC.posix_spawn_file_actions_addclosefrom_np(actions, 3 + inherited.Count), "posix_spawn_file_actions_addclosefrom_np");

            int pid;
            int err = LibC.posix_spawnp(&pid, argv.Pointer[0], actions, attr, argv.Pointer, envp.Pointer);
            if (err != 0)
                throw new PtyException(err, $"cannot start '{options.Argv[0]}'");
            return pid;
        }
        finally
        {
            foreach (int copy in inherited)
                LibC.close(copy);
            if (actionsReady)
                LibC.posix_spawn_file_actions_destroy(actions);
            if (attrReady)
                LibC.posix_spawnattr_destroy(attr);
            NativeMemory.Free(sigset);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
        }
    }

    private static List<string> EnvironmentBlock(IReadOnlyDictionary<string, string>? environment)
    {
        var block = new List<string>();
        if (environment is null)
        {
            // The managed view, not libc's environ: Environment.SetEnvironmentVariable never reaches environ.
            foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
                block.Add($"{entry.Key}={entry.Value}");
        }
        else
        {
            foreach (var (key, value) in environment)
                block.Add($"{key}={value}");
        }

        return block;
    }

    private static void Check(int err, string call)
    {
        if (err != 0)
            throw new PtyException(err, call + " failed");
    }
}
