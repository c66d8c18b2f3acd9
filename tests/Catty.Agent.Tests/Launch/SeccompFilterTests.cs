using System.Buffers.Binary;
using Catty.Agent.Launch;

namespace Catty.Agent.Tests.Launch;

/// <summary>
/// The filter's BPF program run by a small interpreter of the instructions it uses, for both architectures (the
/// arm64 one cannot run on this machine), against the kernel's <c>seccomp_data</c> layout.
/// </summary>
public sealed class SeccompFilterTests
{
    private const uint Allow = SeccompFilter.RetAllow;
    private const uint Eperm = SeccompFilter.RetErrno | 1;
    private const uint Enosys = SeccompFilter.RetErrno | 38;

    public static TheoryData<string> Architectures => ["x86_64", "aarch64"];

    private static SyscallTable Table(string arch) => arch == "x86_64" ? SyscallTable.X8664 : SyscallTable.Aarch64;

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Every_denied_call_is_refused_with_eperm_and_the_unavailable_ones_with_enosys(string arch)
    {
        var table = Table(arch);
        var filter = SeccompFilter.Build(table);
        var checkedCount = 0;
        foreach (var name in SeccompFilter.Denied)
        {
            if (table.TryNumber(name) is { } nr)
            {
                Assert.True(Run(filter, table.AuditArch, nr) == Eperm, $"{arch} {name}");
                checkedCount++;
            }
        }
        foreach (var name in SeccompFilter.Unavailable)
            Assert.Equal(Enosys, Run(filter, table.AuditArch, table.Number(name)));
        Assert.True(checkedCount >= 35, $"{arch}: only {checkedCount} denied calls have numbers");
    }

    [Fact]
    public void The_x86_64_table_names_every_denied_call_so_a_misspelt_name_cannot_slip_through()
    {
        foreach (var name in SeccompFilter.Denied.Concat(SeccompFilter.Unavailable))
            Assert.True(SyscallTable.X8664.TryNumber(name) is not null, name);
    }

    [Theory]
    [InlineData("x86_64", "/usr/include/x86_64-linux-gnu/asm/unistd_64.h")]
    [InlineData("aarch64", "/usr/include/asm-generic/unistd.h")]
    public void The_tables_agree_with_the_kernel_headers(string arch, string header)
    {
        Assert.True(File.Exists(header), $"{header} (Debian's linux-libc-dev, installed with gcc) is missing");
        var defined = new Dictionary<string, uint>();
        foreach (var line in File.ReadLines(header))
        {
            var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            // "#define __NR_mount 165", and asm-generic's "#define __NR3264_fadvise64 223" style.
            if (words.Length == 3 && words[0] == "#define" && words[1].StartsWith("__NR", StringComparison.Ordinal)
                && uint.TryParse(words[2], out var nr))
                defined[words[1][(words[1].IndexOf('_', 4) + 1)..]] = nr;
        }
        foreach (var (name, nr) in Table(arch).Entries)
            Assert.True(defined.TryGetValue(name, out var expected) && expected == nr, $"{arch} {name}: table {nr}, header {(defined.TryGetValue(name, out var h) ? h : "none")}");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Ordinary_calls_are_allowed(string arch)
    {
        var table = Table(arch);
        var filter = SeccompFilter.Build(table);
        // read, write, openat, execve, and the highest numbers in use, none of them in the lists.
        uint[] ordinary = arch == "x86_64" ? [0, 1, 257, 59, 434, 439, 450] : [63, 64, 56, 221, 434, 439, 450];
        foreach (var nr in ordinary)
            Assert.Equal(Allow, Run(filter, table.AuditArch, nr));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Clone_and_unshare_are_refused_only_with_namespace_flags(string arch)
    {
        var table = Table(arch);
        var filter = SeccompFilter.Build(table);
        var clone = table.Number("clone");
        var unshare = table.Number("unshare");
        // fork()'s and pthread_create()'s flags.
        Assert.Equal(Allow, Run(filter, table.AuditArch, clone, 0x01200011));
        Assert.Equal(Allow, Run(filter, table.AuditArch, clone, 0x003d0f00));
        foreach (var flag in new uint[] { 0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000 })
        {
            Assert.Equal(Eperm, Run(filter, table.AuditArch, clone, 0x01200011 | flag));
            Assert.Equal(Eperm, Run(filter, table.AuditArch, unshare, flag));
        }
        // CLONE_NEWTIME in unshare; in clone the same bit is part of the exit signal (SIGCHLD = 17 = 0x11 is not, 0x80 is).
        Assert.Equal(Eperm, Run(filter, table.AuditArch, unshare, 0x80));
        Assert.Equal(Allow, Run(filter, table.AuditArch, clone, 0x80));
        // CLONE_FILES | CLONE_FS | CLONE_SYSVSEM: unsharing these is harmless.
        Assert.Equal(Allow, Run(filter, table.AuditArch, unshare, 0x00000400 | 0x00000200 | 0x00040000));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Personality_allows_only_the_usual_values(string arch)
    {
        var table = Table(arch);
        var filter = SeccompFilter.Build(table);
        var nr = table.Number("personality");
        foreach (var allowed in SeccompFilter.AllowedPersonalities)
            Assert.Equal(Allow, Run(filter, table.AuditArch, nr, allowed));
        // ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC, PER_BSD.
        foreach (var refused in new uint[] { 0x0040000, 0x0400000, 0x6 })
            Assert.Equal(Eperm, Run(filter, table.AuditArch, nr, refused));
    }

    [Fact]
    public void A_call_through_another_architectures_entry_kills_the_process()
    {
        var filter = SeccompFilter.Build(SyscallTable.X8664);

        // AUDIT_ARCH_I386 (int 0x80): 0x40000003.
        Assert.Equal(SeccompFilter.RetKillProcess, Run(filter, 0x40000003, 0));
        Assert.Equal(SeccompFilter.RetKillProcess, Run(SeccompFilter.Build(SyscallTable.Aarch64), SeccompFilter.AuditArchX8664, 0));
        // x32 calls share x86-64's arch value and carry bit 30 in their number.
        Assert.Equal(Enosys, Run(filter, SeccompFilter.AuditArchX8664, SeccompFilter.X32SyscallBit | 1));
    }

    [Fact]
    public void The_program_fits_the_kernels_limit_and_every_jump_lands_inside_it()
    {
        foreach (var table in new[] { SyscallTable.X8664, SyscallTable.Aarch64 })
        {
            var filter = SeccompFilter.Build(table);
            var count = filter.Length / SeccompFilter.InstructionSize;
            Assert.InRange(count, 1, 4096);
            for (var pc = 0; pc < count; pc++)
            {
                var code = BinaryPrimitives.ReadUInt16LittleEndian(filter.AsSpan(pc * 8));
                if ((code & 0x07) == 0x05)
                    Assert.True(pc + 1 + Math.Max(filter[pc * 8 + 2], filter[pc * 8 + 3]) < count, $"jump at {pc} leaves the program");
            }
            Assert.Equal(0x06, BinaryPrimitives.ReadUInt16LittleEndian(filter.AsSpan(filter.Length - 8)));
        }
    }

    /// <summary>Runs the filter on one call: the instructions the builder emits (ld abs, jeq/jge/jset k, ret k).</summary>
    private static uint Run(byte[] filter, uint arch, uint nr, ulong arg0 = 0)
    {
        var data = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(data, nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), arch);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16), arg0);
        uint acc = 0;
        var pc = 0;
        while (true)
        {
            var at = filter.AsSpan(pc * SeccompFilter.InstructionSize);
            var code = BinaryPrimitives.ReadUInt16LittleEndian(at);
            var jt = at[2];
            var jf = at[3];
            var k = BinaryPrimitives.ReadUInt32LittleEndian(at[4..]);
            switch (code)
            {
                case 0x20:
                    acc = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)k));
                    pc++;
                    break;
                case 0x15:
                    pc += 1 + (acc == k ? jt : jf);
                    break;
                case 0x35:
                    pc += 1 + (acc >= k ? jt : jf);
                    break;
                case 0x45:
                    pc += 1 + ((acc & k) != 0 ? jt : jf);
                    break;
                case 0x06:
                    return k;
                default:
                    throw new InvalidOperationException($"instruction 0x{code:x} at {pc} is not one the interpreter knows");
            }
        }
    }
}
