using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Catty.Agent.Launch;

/// <summary>
/// The system-call filter bubblewrap installs on the program (<c>--seccomp FD</c>): a classic BPF program that
/// allows everything except what reaches past the sandbox or into the host kernel's global state (mounts,
/// namespaces, modules, kexec, keyrings, bpf, perf, userfaultfd, clocks, swap, reboot, ...), in the spirit of
/// Docker's and Podman's default profiles. Built by hand rather than through libseccomp, so that the agent
/// (Native AOT) needs no native library and the program is the same bytes on every host of an architecture.
/// </summary>
internal static class SeccompFilter
{
    /// <summary>Size of one <c>struct sock_filter</c>: u16 code, u8 jt, u8 jf, u32 k.</summary>
    public const int InstructionSize = 8;

    public const uint RetKillProcess = 0x80000000;
    public const uint RetErrno = 0x00050000;
    public const uint RetAllow = 0x7fff0000;

    public const int EPerm = 1;
    public const int ENoSys = 38;

    /// <summary>AUDIT_ARCH_X86_64: EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE.</summary>
    public const uint AuditArchX8664 = 0xC000003E;

    /// <summary>AUDIT_ARCH_AARCH64: EM_AARCH64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE.</summary>
    public const uint AuditArchAarch64 = 0xC00000B7;

    /// <summary>On x86-64, x32 system calls carry this bit in their number; the filter refuses them all.</summary>
    public const uint X32SyscallBit = 0x40000000;

    /// <summary>CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET: a new namespace of any kind.</summary>
    public const uint CloneNamespaceFlags = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000;

    /// <summary>CLONE_NEWTIME, which only unshare and clone3 take (in clone's flags the same bit is part of the exit signal).</summary>
    public const uint CloneNewTime = 0x00000080;

    /// <summary>The personalities a program may ask for: Linux, 32-bit Linux, 2.6-style uname, both, and the query value.</summary>
    public static readonly IReadOnlyList<uint> AllowedPersonalities = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

    // BPF opcodes (linux/bpf_common.h).
    private const ushort LdWAbs = 0x00 | 0x00 | 0x20;
    private const ushort JmpJeqK = 0x05 | 0x10 | 0x00;
    private const ushort JmpJgeK = 0x05 | 0x30 | 0x00;
    private const ushort JmpJsetK = 0x05 | 0x40 | 0x00;
    private const ushort RetK = 0x06;

    // Offsets in struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6] (little-endian).
    private const uint NrOffset = 0;
    private const uint ArchOffset = 4;
    private const uint Arg0LowOffset = 16;

    /// <summary>Refused with EPERM: each escapes the sandbox or changes the host for everyone.</summary>
    public static readonly IReadOnlyList<string> Denied =
    [
        // Mounts: the sandbox's view of files is fixed by bubblewrap.
        "mount", "umount2", "pivot_root", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
        // Namespaces are created by bubblewrap only; joining another one is never needed inside.
        "setns",
        // The host kernel itself.
        "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff",
        "acct", "syslog", "quotactl", "quotactl_fd", "lookup_dcookie", "iopl", "ioperm", "uselib", "_sysctl",
        "create_module", "get_kernel_syms", "query_module", "nfsservctl", "vhangup",
        // Kernel subsystems with a long record of privilege escalations, not needed by development tools.
        "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key",
        // The clock is the host's.
        "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
        // File handles open any file of a filesystem by number, past the sandbox's mounts.
        "open_by_handle_at",
    ];

    /// <summary>Refused with ENOSYS, so that callers fall back to an older call the filter can inspect (clone3's
    /// flags are behind a pointer; glibc then uses clone) or go without (io_uring: libuv falls back to threads).</summary>
    public static readonly IReadOnlyList<string> Unavailable = ["clone3", "io_uring_setup", "io_uring_enter", "io_uring_register"];

    /// <summary>The filter for the machine this agent runs on, or null when it has no table for it.</summary>
    public static byte[]? ForThisMachine() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => Build(SyscallTable.X8664),
        Architecture.Arm64 => Build(SyscallTable.Aarch64),
        _ => null,
    };

    public static byte[] Build(SyscallTable table)
    {
        var program = new List<Instruction>
        {
            // A call made through another architecture's entry (e.g. int 0x80 on x86-64) has other numbers: the
            // table below would not describe it, so such a process is ended.
            Load(ArchOffset),
            Jump(JmpJeqK, table.AuditArch, 1, 0),
            Return(RetKillProcess),
            Load(NrOffset),
        };
        if (table.HasX32)
        {
            program.Add(Jump(JmpJgeK, X32SyscallBit, 0, 1));
            program.Add(Return(RetErrno | ENoSys));
        }
        foreach (var name in Denied)
            AddRefusal(program, table, name, EPerm);
        foreach (var name in Unavailable)
            AddRefusal(program, table, name, ENoSys);
        AddFlagsCheck(program, table.Number("clone"), CloneNamespaceFlags);
        AddFlagsCheck(program, table.Number("unshare"), CloneNamespaceFlags | CloneNewTime);
        AddPersonalityCheck(program, table.Number("personality"));
        program.Add(Return(RetAllow));

        var bytes = new byte[program.Count * InstructionSize];
        for (var i = 0; i < program.Count; i++)
            program[i].WriteTo(bytes.AsSpan(i * InstructionSize));
        return bytes;
    }

    private static void AddRefusal(List<Instruction> program, SyscallTable table, string name, int errno)
    {
        if (table.TryNumber(name) is not { } nr)
            return;
        program.Add(Jump(JmpJeqK, nr, 0, 1));
        program.Add(Return(RetErrno | (uint)errno));
    }

    /// <summary>Refuses the call when its first argument has any of <paramref name="mask"/>'s bits.</summary>
    private static void AddFlagsCheck(List<Instruction> program, uint nr, uint mask)
    {
        program.Add(Jump(JmpJeqK, nr, 0, 4));
        program.Add(Load(Arg0LowOffset));
        program.Add(Jump(JmpJsetK, mask, 0, 1));
        program.Add(Return(RetErrno | EPerm));
        program.Add(Return(RetAllow));
    }

    private static void AddPersonalityCheck(List<Instruction> program, uint nr)
    {
        var allowed = AllowedPersonalities;
        // nr test, load, one test per value, then allow and refuse.
        program.Add(Jump(JmpJeqK, nr, 0, (byte)(allowed.Count + 3)));
        program.Add(Load(Arg0LowOffset));
        for (var i = 0; i < allowed.Count; i++)
        {
            var toAllow = (byte)(allowed.Count - 1 - i);
            program.Add(Jump(JmpJeqK, allowed[i], toAllow, i == allowed.Count - 1 ? (byte)1 : (byte)0));
        }
        program.Add(Return(RetAllow));
        program.Add(Return(RetErrno | EPerm));
    }

    private static Instruction Load(uint offset) => new(LdWAbs, 0, 0, offset);

    private static Instruction Jump(ushort code, uint k, byte jt, byte jf) => new(code, jt, jf, k);

    private static Instruction Return(uint action) => new(RetK, 0, 0, action);

    private readonly record struct Instruction(ushort Code, byte Jt, byte Jf, uint K)
    {
        public void WriteTo(Span<byte> destination)
        {
            // The kernel reads struct sock_filter in the machine's byte order; both supported machines are little-endian.
            BinaryPrimitives.WriteUInt16LittleEndian(destination, Code);
            destination[2] = Jt;
            destination[3] = Jf;
            BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], K);
        }
    }
}
