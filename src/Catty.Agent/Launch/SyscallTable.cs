namespace Catty.Agent.Launch;

/// <summary>
/// The system-call numbers <see cref="SeccompFilter"/> names, for one architecture (from the kernel's
/// <c>asm/unistd_64.h</c> for x86-64 and <c>asm-generic/unistd.h</c> for arm64). A name missing from a table
/// does not exist there (arm64 has no iopl).
/// </summary>
internal sealed class SyscallTable
{
    public static readonly SyscallTable X8664 = new(SeccompFilter.AuditArchX8664, hasX32: true, """
        mount 165  umount2 166  pivot_root 155  fsopen 430  fsconfig 431  fsmount 432
        fspick 433  move_mount 429  open_tree 428  mount_setattr 442  setns 308  kexec_load 246
        kexec_file_load 320  init_module 175  finit_module 313  delete_module 176  reboot 169  swapon 167
        swapoff 168  acct 163  syslog 103  quotactl 179  quotactl_fd 443  lookup_dcookie 212
        iopl 172  ioperm 173  uselib 134  _sysctl 156  create_module 174  get_kernel_syms 177
        query_module 178  nfsservctl 180  vhangup 153  bpf 321  perf_event_open 298  userfaultfd 323
        keyctl 250  add_key 248  request_key 249  settimeofday 164  clock_settime 227  clock_adjtime 305
        adjtimex 159  open_by_handle_at 304  clone3 435  io_uring_setup 425  io_uring_enter 426  io_uring_register 427
        clone 56  unshare 272  personality 135
        """);

    public static readonly SyscallTable Aarch64 = new(SeccompFilter.AuditArchAarch64, hasX32: false, """
        mount 40  umount2 39  pivot_root 41  fsopen 430  fsconfig 431  fsmount 432
        fspick 433  move_mount 429  open_tree 428  mount_setattr 442  setns 268  kexec_load 104
        kexec_file_load 294  init_module 105  finit_module 273  delete_module 106  reboot 142  swapon 224
        swapoff 225  acct 89  syslog 116  quotactl 60  quotactl_fd 443  lookup_dcookie 18
        nfsservctl 42  vhangup 58  bpf 280  perf_event_open 241  userfaultfd 282  keyctl 219
        add_key 217  request_key 218  settimeofday 170  clock_settime 112  clock_adjtime 266  adjtimex 171
        open_by_handle_at 265  clone3 435  io_uring_setup 425  io_uring_enter 426  io_uring_register 427  clone 220
        unshare 97  personality 92
        """);

    private readonly IReadOnlyDictionary<string, uint> _numbers;

    /// <param name="numbers">Pairs of a name and its number, separated by white space.</param>
    private SyscallTable(uint auditArch, bool hasX32, string numbers)
    {
        AuditArch = auditArch;
        HasX32 = hasX32;
        var words = numbers.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var table = new Dictionary<string, uint>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < words.Length; i += 2)
            table.Add(words[i], uint.Parse(words[i + 1], System.Globalization.CultureInfo.InvariantCulture));
        _numbers = table;
    }

    /// <summary>The AUDIT_ARCH_* value the kernel puts in <c>seccomp_data.arch</c> for a native call.</summary>
    public uint AuditArch { get; }

    /// <summary>Whether the architecture has the x32 ABI, whose calls the filter refuses as a whole.</summary>
    public bool HasX32 { get; }

    /// <summary>Every name and number of the table.</summary>
    public IReadOnlyDictionary<string, uint> Entries => _numbers;

    public uint? TryNumber(string name) => _numbers.TryGetValue(name, out var nr) ? nr : null;

    public uint Number(string name) => _numbers[name];
}
