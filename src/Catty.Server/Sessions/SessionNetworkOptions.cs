using Catty.Sdk.AgentControl;

namespace Catty.Server.Sessions;

/// <summary>What a sandboxed session's network reaches, bound from <c>Catty:Sessions:Network</c>.</summary>
internal sealed class SessionNetworkOptions
{
    public const string Section = "Catty:Sessions:Network";

    /// <summary>
    /// <c>isolated</c> (default): the session's own network namespace with outbound internet through pasta; the host
    /// (its loopback services and its own addresses), private and shared ranges, link-local (cloud metadata),
    /// multicast and their IPv6 equivalents are unreachable, and nothing the session listens on is reachable from
    /// the host. <c>host</c>: the host's network, unfiltered; only when set explicitly. <c>none</c>: loopback only.
    /// </summary>
    public string Mode { get; set; } = AgentNetworkMode.Isolated;

    /// <summary>CIDRs (e.g. <c>10.20.0.0/16</c>, <c>fd12::/48</c>) reachable in <c>isolated</c> mode despite the block list. Default none.</summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>The spec the agent gets.</summary>
    public AgentNetworkSpec ToSpec() => new(Mode, [.. Allow]);

    /// <summary>Why the configuration is unusable, or null.</summary>
    public string? Problem()
    {
        if (!AgentNetworkMode.IsKnown(Mode))
            return $"{Section}:Mode must be isolated, host or none (got '{Mode}').";
        foreach (var cidr in Allow)
        {
            if (!AgentNetworkSpec.TryParseCidr(cidr, out _))
                return $"{Section}:Allow entry '{cidr}' is not a CIDR such as 10.20.0.0/16 (an address with its prefix length, no host bits set).";
        }
        return null;
    }
}
