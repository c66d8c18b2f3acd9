using System.Net;
using Catty.Server.Auth;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Catty.Server.Tests.Units;

/// <summary>The start-up banner's addresses for other devices and its sign-in QR code.</summary>
public sealed class FirstContactTests
{
    private static readonly IPAddress[] Interfaces =
    [
        IPAddress.Loopback, IPAddress.Parse("192.168.1.5"), IPAddress.Parse("10.0.0.7"), IPAddress.IPv6Loopback,
        IPAddress.Parse("fe80::1"), IPAddress.Parse("2001:db8::5"), IPAddress.Parse("169.254.1.2"),
    ];

    [Fact]
    public void A_wildcard_listener_is_reachable_at_every_address_but_loopback_and_link_local()
    {
        Assert.Equal(["http://192.168.1.5:5080", "http://10.0.0.7:5080"], FirstContact.ReachableUrls(["http://0.0.0.0:5080"], Interfaces));
        Assert.Equal(["http://192.168.1.5:5080", "http://10.0.0.7:5080"], FirstContact.ReachableUrls(["http://+:5080"], Interfaces));
        Assert.Equal(["http://192.168.1.5:5080", "http://10.0.0.7:5080", "http://[2001:db8::5]:5080"], FirstContact.ReachableUrls(["http://[::]:5080"], Interfaces));
        Assert.Equal(["https://10.0.0.7:443"], FirstContact.ReachableUrls(["https://10.0.0.7:443"], Interfaces));
    }

    [Fact]
    public void A_loopback_listener_prints_no_address_for_other_devices()
    {
        Assert.Empty(FirstContact.ReachableUrls(["http://127.0.0.1:5080", "http://[::1]:5080", "http://localhost:5080"], Interfaces));
        Assert.Empty(FirstContact.ReachableUrls(["not a url"], Interfaces));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_QR_code_a_phone_scans_is_the_sign_in_link(bool colours)
    {
        const string link = "http://192.168.1.5:5080/signin?code=AbCdEf0123456789_-xyzXYZ";
        var drawn = FirstContact.QrCode(link, colours);
        Assert.Equal(colours, drawn.Contains('\u001b', StringComparison.Ordinal));

        var text = System.Text.RegularExpressions.Regex.Replace(drawn, "\u001b\\[[0-9;]*m", "");
        Assert.Equal(link, Decode(text));
    }

    /// <summary>Reads the half-block drawing back as an image (4 pixels a module) and decodes it.</summary>
    private static string? Decode(string drawing)
    {
        const int scale = 4;
        var lines = drawing.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var width = lines[0].Length;
        var height = lines.Length * 2;
        var pixels = new byte[width * scale * height * scale];
        for (var line = 0; line < lines.Length; line++)
        {
            for (var column = 0; column < width; column++)
            {
                var (top, bottom) = lines[line][column] switch
                {
                    '█' => (true, true),
                    '▀' => (true, false),
                    '▄' => (false, true),
                    ' ' => (false, false),
                    var other => throw new InvalidOperationException($"unexpected character {(int)other:x4}"),
                };
                Paint(line * 2, column, top);
                Paint(line * 2 + 1, column, bottom);
            }
        }

        var source = new RGBLuminanceSource(pixels, width * scale, height * scale, RGBLuminanceSource.BitmapFormat.Gray8);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)))?.Text;

        void Paint(int row, int column, bool dark)
        {
            for (var y = 0; y < scale; y++)
            {
                for (var x = 0; x < scale; x++)
                {
                    pixels[((row * scale) + y) * width * scale + (column * scale) + x] = dark ? (byte)0 : (byte)255;
                }
            }
        }
    }
}
