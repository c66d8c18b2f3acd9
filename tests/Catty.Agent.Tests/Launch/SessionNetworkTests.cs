using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Catty.Agent.Launch;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Tests.Launch;

/// <summary>An isolated sandbox gets its own fenced network: out to the internet, never to the host or private ranges.</summary>
public sealed partial class SessionNetworkTests
{
    [Fact]
    public void The_host_is_refused_before_the_allow_list_and_the_allow_list_comes_before_the_blocked_ranges()
    {
        var rules = NetworkFence.Rules(
            [IPNetwork.Parse("10.20.0.0/16"), IPNetwork.Parse("192.168.0.0/16")],
            [IPAddress.Parse("203.0.113.7"), IPAddress.Parse("10.20.0.5"), IPAddress.Parse("2001:db8::5"), IPAddress.Parse("fe80::1%2")]);
        var lines = rules.Split('\n').Select(l => l.Trim()).ToList();

        int At(string line) => lines.IndexOf(line) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"no line '{line}' in:\n{rules}");
        Assert.True(At("oifname \"lo\" accept") < At("ip daddr 203.0.113.7/32 reject with icmpx type admin-prohibited"));
        Assert.True(At("ip6 daddr 2001:db8::5/128 reject with icmpx type admin-prohibited") < At("ip daddr 10.20.0.0/16 accept"));
        // A host address inside an allowed range stays refused.
        Assert.True(At("ip daddr 10.20.0.5/32 reject with icmpx type admin-prohibited") < At("ip daddr 10.20.0.0/16 accept"));
        Assert.True(At("ip daddr 10.20.0.0/16 accept") < At("ip daddr 10.0.0.0/8 reject with icmpx type admin-prohibited"));
        At("ip daddr 169.254.0.0/16 reject with icmpx type admin-prohibited");
        At("ip6 daddr fc00::/7 reject with icmpx type admin-prohibited");
        // Covered by a blocked range already, or allowed as a whole range.
        Assert.DoesNotContain("fe80::1", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("ip daddr 192.168.0.0/16 reject", rules, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rules_load_into_a_network_namespace()
    {
        var rules = NetworkFence.Rules([IPNetwork.Parse("fd12::/48")], SessionNetwork.HostAddresses());
        var check = new ProcessStartInfo("unshare", ["--net", "nft", "-c", "-f", "-"]) { RedirectStandardInput = true, RedirectStandardError = true };
        using var process = Process.Start(check)!;
        await process.StandardInput.WriteAsync(rules);
        process.StandardInput.Close();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"nft refused the rules: {stderr}\n{rules}");
    }

    [Fact]
    public async Task The_program_is_online_through_pasta_but_reaches_neither_the_host_nor_metadata_and_cannot_undo_the_fence()
    {
        using var hostService = new TcpListener(IPAddress.Any, 0);
        hostService.Start();
        var port = ((IPEndPoint)hostService.LocalEndpoint).Port;
        var hostAddress = SessionNetwork.HostAddresses().First(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Sandbox = "bwrap", Network = AgentNetworkMode.Isolated });
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");

        Assert.Contains("nameserver " + NetworkFence.DnsAddress, await RunAsync(client, "cat /etc/resolv.conf"), StringComparison.Ordinal);
        // pasta's interface is up before the program's first instruction.
        Assert.Matches(@"\d+: (?!lo)\w+.*inet ", await RunAsync(client, "ip -o -4 addr"));
        foreach (var target in new[] { "127.0.0.1", hostAddress.ToString(), "169.254.169.254", "10.255.255.1" })
        {
            var answer = await RunAsync(client, $"timeout 5 bash -c 'exec 3<>/dev/tcp/{target}/{port}' 2>/dev/null && echo OPEN-{target} || echo SHUT-{target}");
            Assert.Contains("SHUT-" + target, answer, StringComparison.Ordinal);
        }
        Assert.False(hostService.Pending());
        await RunAsync(client, "nft flush ruleset; echo flush-$?", "flush-1");
        await RunAsync(client, "ip route del default; echo route-$?", "route-2");
    }

    private static async Task<string> RunAsync(TerminalClient client, string command, string? expect = null)
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var typedMarker = $"echo \"<{marker[..4]}\"\"{marker[4..]}>\"";
        await client.SendAsync($"{command}; {typedMarker}\r");
        var output = await client.ReadUntilAsync($"<{marker}>");
        output = output[output.LastIndexOf(typedMarker, StringComparison.Ordinal)..];
        output = output[(output.IndexOf('\n', StringComparison.Ordinal) + 1)..^(marker.Length + 2)];
        if (expect is not null)
            Assert.True(output.Contains(expect, StringComparison.Ordinal), $"`{command}` printed: {output}");
        return ControlSequence().Replace(output, "").Replace("\r", "", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex ControlSequence();
}
