using System.Text;

namespace Catty.Agent.Launch;

/// <summary>
/// The sandbox's <c>/etc</c>: a few files written per session (users, host names, resolver, name-service
/// switch) plus an allow-list of harmless host files shown read-only. Nothing else of the host's /etc is
/// there: no shadow or gshadow, no sudoers, no SSH host keys, no TLS private keys, no service credentials.
/// </summary>
internal static class SandboxEtc
{
    /// <summary>Generated files, kept in the agent's state directory under this folder.</summary>
    public const string FolderName = "etc";

    /// <summary>
    /// Host entries under /etc shown read-only when they exist: the loader's cache, alternatives (vi), CA
    /// certificates, time zone, shell and editor defaults, terminfo, git and Python and Perl settings,
    /// service and protocol names. Folders are shown whole, so none here may hold a secret.
    /// </summary>
    public static readonly IReadOnlyList<string> HostAllowList =
    [
        "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives",
        "ssl/certs", "ssl/openssl.cnf", "ca-certificates", "ca-certificates.conf",
        "localtime", "timezone",
        "profile", "profile.d", "bash.bashrc", "bash_completion", "bash_completion.d", "inputrc", "shells",
        "terminfo", "vim", "nanorc", "manpath.config", "mime.types", "magic", "magic.mime",
        "gitconfig", "pip.conf", "perl", "wgetrc", "fonts", "xdg",
        "services", "protocols", "rpc", "networks", "ethers", "gai.conf", "host.conf",
        "os-release", "debian_version", "lsb-release", "locale.alias",
        "ssh/ssh_config", "ssh/ssh_config.d",
    ];

    /// <summary>
    /// The generated files, by name under /etc. resolv.conf is not among them: see <see cref="ResolvConf"/>.
    /// </summary>
    public static Dictionary<string, string> Files(string hostname, string home)
    {
        var shell = File.Exists("/bin/bash") ? "/bin/bash" : "/bin/sh";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // The program is root inside its user namespace: its home is the session's home. nobody owns what the
            // namespace does not map (the host's files, once the sandbox's root is an unprivileged host user).
            ["passwd"] = $"root:x:0:0:root:{home}:{shell}\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
            ["group"] = "root:x:0:\nnogroup:x:65534:\n",
            ["hostname"] = hostname + "\n",
            ["hosts"] = $"127.0.0.1\tlocalhost\n127.0.1.1\t{hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n",
            ["nsswitch.conf"] = "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\n"
                + "protocols: files\nservices: files\nethers: files\nrpc: files\n",
        };
    }

    /// <summary>
    /// A resolv.conf made from the host's: its nameserver, search, domain and options lines. The agent writes it
    /// only when the state directory has none, so a network layer that gives the session its own resolver
    /// writes its own first.
    /// </summary>
    public static string ResolvConf(string hostResolvConf)
    {
        var sb = new StringBuilder();
        foreach (var raw in hostResolvConf.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("nameserver ", StringComparison.Ordinal) || line.StartsWith("nameserver\t", StringComparison.Ordinal)
                || line.StartsWith("search ", StringComparison.Ordinal) || line.StartsWith("domain ", StringComparison.Ordinal)
                || line.StartsWith("options ", StringComparison.Ordinal))
                sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes the generated files into <paramref name="folder"/> (created 0755), replacing earlier ones.</summary>
    public static void Write(string folder, IReadOnlyDictionary<string, string> files)
    {
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var (name, content) in files)
            WriteFile(Path.Combine(folder, name), content);
        var resolv = Path.Combine(folder, "resolv.conf");
        if (!File.Exists(resolv))
        {
            string host;
            try
            {
                host = File.ReadAllText("/etc/resolv.conf");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                host = "";
            }
            WriteFile(resolv, ResolvConf(host));
        }
    }

    private static void WriteFile(string path, string content)
    {
        // Written beside and renamed, so a file the sandbox shows is never half-written.
        var temp = path + ".new";
        File.WriteAllText(temp, content);
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(temp, path, overwrite: true);
    }
}
