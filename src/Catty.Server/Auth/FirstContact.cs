using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using QRCoder;

namespace Catty.Server.Auth;

/// <summary>
/// What the start-up banner tells a person who wants to reach the server from another device: every address it
/// answers on beyond loopback, and the sign-in link as a QR code a phone's camera opens.
/// </summary>
internal static class FirstContact
{
    /// <summary>
    /// The base URLs other devices can use, from the addresses Kestrel listens on: a wildcard (0.0.0.0, [::], +, *)
    /// stands for every address of <paramref name="interfaceAddresses"/> that is not loopback or link-local. Empty
    /// when the server listens on loopback only.
    /// </summary>
    public static IReadOnlyList<string> ReachableUrls(IEnumerable<string> listening, IEnumerable<IPAddress> interfaceAddresses)
    {
        var hostAddresses = interfaceAddresses.Where(Usable).OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6).ToList();
        var urls = new List<string>();
        foreach (var address in listening)
        {
            var wildcard = address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(wildcard, UriKind.Absolute, out var uri))
            {
                continue;
            }

            var host = uri.Host.Trim('[', ']');
            if (host == "localhost" || !IPAddress.TryParse(host, out var bound))
            {
                continue;
            }

            IEnumerable<IPAddress> reach = bound.Equals(IPAddress.Any) ? hostAddresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork)
                : bound.Equals(IPAddress.IPv6Any) ? hostAddresses
                : Usable(bound) ? [bound] : [];
            urls.AddRange(reach.Select(a => $"{uri.Scheme}://{(a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString())}:{uri.Port}"));
        }

        return urls.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>This host's addresses, read now; empty when the system will not say.</summary>
    public static IEnumerable<IPAddress> InterfaceAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(a => a.Address))
                .ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }

    /// <summary>
    /// <paramref name="text"/> as a QR code in half-block characters, two modules per character cell, with the quiet
    /// zone around it. Dark modules are drawn with the glyphs; <paramref name="colours"/> paints them black on white
    /// (for a terminal, whatever its theme), without it the text is plain.
    /// </summary>
    public static string QrCode(string text, bool colours)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.L);
        var matrix = data.ModuleMatrix;
        var size = matrix.Count;
        var output = new StringBuilder();
        for (var row = 0; row < size; row += 2)
        {
            if (colours)
            {
                output.Append("\u001b[30;47m");
            }

            for (var column = 0; column < size; column++)
            {
                var top = matrix[row][column];
                var bottom = row + 1 < size && matrix[row + 1][column];
                output.Append((top, bottom) switch
                {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    _ => ' ',
                });
            }

            output.Append(colours ? "\u001b[0m\n" : "\n");
        }

        return output.ToString();
    }

    private static bool Usable(IPAddress address) =>
        !IPAddress.IsLoopback(address) && !address.IsIPv6LinkLocal && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any)
        && !(address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes() is [169, 254, ..]);
}
