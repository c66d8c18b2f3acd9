using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Catty.Server.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Catty.Server.Tests.Isolation;

/// <summary>
/// A session's network, attacked from inside a real session through its terminal: the host and private ranges are
/// out of reach, nothing it listens on reaches the host, and the internet (a namespace this test makes) is reachable.
/// </summary>
public sealed class NetworkTests
{
    private int _probe;

    [Fact]
    public async Task The_servers_port_other_host_services_metadata_and_private_addresses_are_unreachable_from_a_session()
    {
        await using var internet = await TestInternet.CreateAsync();
        using var hostService = new TcpListener(IPAddress.Any, 0);
        hostService.Start();
        var servicePort = ((IPEndPoint)hostService.LocalEndpoint).Port;
        await using var server = await CattyTestServer.StartAsync();
        var serverPort = server.BaseAddress.Port;
        var session = await server.CreateShellAsync();
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);

        var targets = new List<(string Host, int Port)>
        {
            ("127.0.0.1", serverPort), ("127.0.0.1", servicePort), ("169.254.169.254", 80),
            (internet.PrivateAddress.ToString(), internet.Serve(internet.PrivateAddress, "private-service")),
            // The host's end of the test link is one of the host's own addresses, in no private range.
            (internet.HostSidePublicAddress.ToString(), servicePort),
        };
        foreach (var address in HostIPv4Addresses())
        {
            targets.Add((address.ToString(), serverPort));
            targets.Add((address.ToString(), servicePort));
        }
        foreach (var (host, port) in targets)
            Assert.False(await CanConnectAsync(terminal, host, port), $"{host}:{port} is reachable from the session");

        Assert.False(hostService.Pending(), "a connection from the session reached a service of the host");
    }

    [Fact]
    public async Task A_session_reaches_the_internet()
    {
        await using var internet = await TestInternet.CreateAsync();
        var greeting = "hello-from-the-internet-" + Guid.NewGuid().ToString("N")[..8];
        var port = internet.Serve(internet.PublicAddress, greeting);
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);

        Assert.Contains(greeting, await ReadFromAsync(terminal, internet.PublicAddress.ToString(), port), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_private_range_in_the_allow_list_becomes_reachable_but_the_hosts_own_address_in_it_does_not()
    {
        await using var internet = await TestInternet.CreateAsync();
        var greeting = "hello-from-the-allowed-range-" + Guid.NewGuid().ToString("N")[..8];
        var port = internet.Serve(internet.PrivateAddress, greeting);
        using var hostService = new TcpListener(IPAddress.Any, 0);
        hostService.Start();
        var hostSide = $"{internet.PrivateRange[..internet.PrivateRange.LastIndexOf('.')]}.1";
        await using var server = await CattyTestServer.StartAsync(s => s.Settings["Catty:Sessions:Network:Allow:0"] = internet.PrivateRange);
        var session = await server.CreateShellAsync();
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);

        Assert.Contains(greeting, await ReadFromAsync(terminal, internet.PrivateAddress.ToString(), port), StringComparison.Ordinal);
        Assert.False(await CanConnectAsync(terminal, hostSide, ((IPEndPoint)hostService.LocalEndpoint).Port));
        Assert.False(await CanConnectAsync(terminal, "169.254.169.254", 80));
    }

    [Fact]
    public async Task What_a_session_listens_on_is_not_reachable_from_the_host_and_the_servers_port_stays_the_servers()
    {
        await using var server = await CattyTestServer.StartAsync();
        var serverPort = server.BaseAddress.Port;
        int freePort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            freePort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var session = await server.CreateShellAsync();
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);

        foreach (var port in new[] { serverPort, freePort })
        {
            await terminal.SendAsync(
                "perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr => \"0.0.0.0\", LocalPort => " + port
                + ", Listen => 5, ReuseAddr => 1) or die \"bind: $!\\n\"; print \"listening-\", " + port + " * 3, \"\\n\"; "
                + "while ($c = $s->accept) { print $c \"from-the-session\\n\"; close $c }' &\r");
            await terminal.ReadUntilAsync("listening-" + (port * 3));
            // The listener works inside the session, so refusals below are the fence's doing.
            Assert.Contains("from-the-session", await ReadFromAsync(terminal, "127.0.0.1", port), StringComparison.Ordinal);
        }

        foreach (var address in HostIPv4Addresses().Append(IPAddress.Loopback))
        {
            using var client = new TcpClient();
            var refused = await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(address, freePort));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
        // The server still answers on its own port, and only the server does.
        var sessions = await server.Client.ListSessionsAsync();
        Assert.Contains(sessions, s => s.Label == session.Label);
    }

    [Theory]
    [InlineData("Catty:Sessions:Network:Mode", "open")]
    [InlineData("Catty:Sessions:Network:Allow:0", "10.0.0.1/8")]
    [InlineData("Catty:Sessions:Network:Allow:0", "internal.example")]
    public async Task A_bad_network_setting_stops_the_server_at_start_with_a_clear_reason(string key, string value)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => CattyTestServer.StartAsync(s => s.Settings[key] = value));
        Assert.Contains("Catty:Sessions:Network", refused.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<IPAddress> HostIPv4Addresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .ToList();

    /// <summary>Whether a TCP connection from inside the session to host:port opens (bounded to 5 s).</summary>
    private async Task<bool> CanConnectAsync(TerminalClient terminal, string host, int port)
    {
        var n = Interlocked.Increment(ref _probe) + 100;
        // The marker is computed by the shell, so the echoed command line never matches it.
        await terminal.SendAsync($"timeout 5 bash -c 'exec 3<>/dev/tcp/{host}/{port}' 2>/dev/null && echo \"open-$(({n}*1))-end\" || echo \"shut-$(({n}*1))-end\"\r");
        var answer = await terminal.ReadUntilAsync($"-{n}-end");
        return answer.EndsWith($"open-{n}-end", StringComparison.Ordinal);
    }

    /// <summary>What a TCP service at host:port sends to the session (bounded to 5 s).</summary>
    private async Task<string> ReadFromAsync(TerminalClient terminal, string host, int port)
    {
        var n = Interlocked.Increment(ref _probe) + 100;
        await terminal.SendAsync($"timeout 5 bash -c 'exec 3<>/dev/tcp/{host}/{port}; cat <&3' 2>&1; echo \"read-$(({n}*1))-end\"\r");
        return await terminal.ReadUntilAsync($"-{n}-end");
    }
}
