using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Catty.Agent.Launch;

/// <summary>
/// The nftables rules that fence an isolated session's network namespace: everything the program sends leaves
/// through pasta to the internet, except to the host itself, private and shared address space, link-local
/// (cloud metadata), multicast and reserved ranges, which are refused at once. Loaded by a process holding
/// CAP_NET_ADMIN over the namespace before the program starts; the program has no capability there, so it
/// cannot change them.
/// </summary>
internal static class NetworkFence
{
    /// <summary>The sandbox's name server: pasta answers DNS sent here with the host's own resolver.</summary>
    public const string DnsAddress = "169.254.1.53";

    /// <summary>Ranges no session reaches unless the configuration allows them.</summary>
    public static readonly IReadOnlyList<IPNetwork> BlockedRanges =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "::ffff:0:0/96", "64:ff9b:1::/48", "100::/64", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(IPNetwork.Parse),
    ];

    /// <summary>
    /// The rule set, in order: the namespace's own loopback traffic, DNS to <see cref="DnsAddress"/>, then the host's
    /// own addresses refused (even inside an allowed range), then the allowed ranges, then the blocked ranges refused.
    /// </summary>
    public static string Rules(IReadOnlyList<IPNetwork> allow, IEnumerable<IPAddress> hostAddresses)
    {
        var sb = new StringBuilder();
        sb.Append("table inet catty {\n");
        sb.Append("  chain output {\n");
        sb.Append("    type filter hook output priority filter; policy accept;\n");
        // Inside the namespace 127.0.0.1 and its own addresses are its own, not the host's.
        sb.Append("    oifname \"lo\" accept\n");
        sb.Append("    ip daddr ").Append(DnsAddress).Append(" udp dport 53 accept\n");
        sb.Append("    ip daddr ").Append(DnsAddress).Append(" tcp dport 53 accept\n");
        foreach (var address in HostAddressesToRefuse(hostAddresses, allow))
            sb.Append("    ").Append(Match(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))).Append(' ').Append(Refuse).Append('\n');
        foreach (var range in allow)
            sb.Append("    ").Append(Match(range)).Append(" accept\n");
        foreach (var range in BlockedRanges)
        {
            // A range the configuration allows as a whole would otherwise still be refused.
            if (!allow.Any(a => Contains(a, range)))
                sb.Append("    ").Append(Match(range)).Append(' ').Append(Refuse).Append('\n');
        }
        sb.Append("  }\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>The host's addresses, without scope ids, except those a blocked range refuses anyway (one the allow list does not open).</summary>
    internal static List<IPAddress> HostAddressesToRefuse(IEnumerable<IPAddress> hostAddresses, IReadOnlyList<IPNetwork> allow)
    {
        var result = new List<IPAddress>();
        foreach (var raw in hostAddresses)
        {
            var address = raw.IsIPv4MappedToIPv6 ? raw.MapToIPv4() : new IPAddress(raw.GetAddressBytes());
            if ((BlockedRanges.Any(r => r.Contains(address)) && !allow.Any(a => a.Contains(address))) || result.Contains(address))
                continue;
            result.Add(address);
        }
        return result;
    }

    /// <summary>Whether <paramref name="outer"/> covers all of <paramref name="inner"/>.</summary>
    internal static bool Contains(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily
        && outer.PrefixLength <= inner.PrefixLength
        && outer.Contains(inner.BaseAddress);

    // admin-prohibited: a connect fails at once with "No route to host" instead of hanging until a timeout.
    private const string Refuse = "reject with icmpx type admin-prohibited";

    private static string Match(IPNetwork range) =>
        (range.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? "ip daddr " : "ip6 daddr ") + range;
}
