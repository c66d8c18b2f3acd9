using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Catty.Server.Tests.Isolation;

/// <summary>
/// A stand-in for the internet: a network namespace of the test's own, joined to the host by a veth pair, holding
/// an address in a public documentation range (which no block list covers) and one in a private range. Services
/// listen inside it; nothing outside this machine is ever contacted. Removed on dispose, even after a failure.
/// </summary>
internal sealed partial class TestInternet : IAsyncDisposable
{
    private readonly string _name;
    private readonly string _hostLink;
    private readonly List<Socket> _listeners = [];

    private TestInternet(string name, string hostLink, int block, int privateNet)
    {
        _name = name;
        _hostLink = hostLink;
        PublicAddress = IPAddress.Parse($"203.0.113.{(block * 4) + 2}");
        HostSidePublicAddress = IPAddress.Parse($"203.0.113.{(block * 4) + 1}");
        PrivateAddress = IPAddress.Parse($"10.231.{privateNet}.2");
        PrivateRange = $"10.231.{privateNet}.0/24";
    }

    /// <summary>The service's public address (203.0.113.0/24, a documentation range).</summary>
    public IPAddress PublicAddress { get; }

    /// <summary>The host's own end of the link: one of the host's addresses.</summary>
    public IPAddress HostSidePublicAddress { get; }

    /// <summary>The service's private address.</summary>
    public IPAddress PrivateAddress { get; }

    /// <summary>The /24 holding <see cref="PrivateAddress"/>.</summary>
    public string PrivateRange { get; }

    public static async Task<TestInternet> CreateAsync()
    {
        var id = Random.Shared.Next(0x10000, 0xfffff).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        var internet = new TestInternet($"catty-inet-{id}", $"cih{id}", Random.Shared.Next(0, 64), Random.Shared.Next(1, 250));
        try
        {
            var ns = internet._name;
            var inside = $"cin{id}";
            await IpAsync("netns", "add", ns);
            await IpAsync("link", "add", internet._hostLink, "type", "veth", "peer", "name", inside, "netns", ns);
            await IpAsync("addr", "add", internet.HostSidePublicAddress + "/30", "dev", internet._hostLink);
            await IpAsync("addr", "add", $"10.231.{internet.PrivateAddress.GetAddressBytes()[2]}.1/24", "dev", internet._hostLink);
            await IpAsync("link", "set", internet._hostLink, "up");
            await IpAsync("-n", ns, "addr", "add", internet.PublicAddress + "/30", "dev", inside);
            await IpAsync("-n", ns, "addr", "add", internet.PrivateAddress + "/24", "dev", inside);
            await IpAsync("-n", ns, "link", "set", inside, "up");
            await IpAsync("-n", ns, "link", "set", "lo", "up");
            return internet;
        }
        catch
        {
            await internet.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A TCP service inside the namespace on <paramref name="address"/> that greets each connection with
    /// <paramref name="greeting"/> and closes it; returns its port.
    /// </summary>
    public int Serve(IPAddress address, string greeting)
    {
        Socket? listener = null;
        Exception? failure = null;
        // setns moves only the calling thread; a socket keeps the namespace it was made in.
        var thread = new Thread(() =>
        {
            try
            {
                using var netns = File.OpenHandle($"/run/netns/{_name}");
                if (SetNs((int)netns.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new IOException($"setns failed: errno {Marshal.GetLastPInvokeError()}");
                listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(address, 0));
                listener.Listen(16);
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw failure;
        _listeners.Add(listener!);
        _ = AcceptLoopAsync(listener!, System.Text.Encoding.ASCII.GetBytes(greeting + "\n"));
        return ((IPEndPoint)listener!.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners)
            listener.Dispose();
        // Deleting the namespace deletes the veth pair with it; the host end goes too in case the pair was half made.
        await TryIpAsync("link", "del", _hostLink);
        await TryIpAsync("netns", "del", _name);
    }

    private static async Task AcceptLoopAsync(Socket listener, byte[] greeting)
    {
        while (true)
        {
            Socket peer;
            try
            {
                peer = await listener.AcceptAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return;
            }
            using (peer)
            {
                try
                {
                    await peer.SendAsync(greeting);
                    peer.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                    // The client went away first.
                }
            }
        }
    }

    private static async Task IpAsync(params string[] args)
    {
        var (code, stderr) = await RunIpAsync(args);
        if (code != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({code}): {stderr}");
    }

    private static async Task TryIpAsync(params string[] args) => _ = await RunIpAsync(args);

    private static async Task<(int Code, string Stderr)> RunIpAsync(string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("ip", args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stderr);
    }

    private const int CloneNewNet = 0x40000000;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
