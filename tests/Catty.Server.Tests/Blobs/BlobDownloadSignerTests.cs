using Catty.Server.Blobs;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;

namespace Catty.Server.Tests.Blobs;

public sealed class BlobDownloadSignerTests
{
    private const string Key = "downloads/snap_1.tar.gz";

    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public void ASignedLinkIsValidUntilItExpires()
    {
        var signer = new BlobDownloadSigner(Secret, _time);
        var (expires, sig) = Parse(signer.Sign(Key, TimeSpan.FromMinutes(15)));

        Assert.Equal(_time.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), expires);
        Assert.True(signer.TryVerify(Key, expires, sig));

        _time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.True(signer.TryVerify(Key, expires, sig));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(signer.TryVerify(Key, expires, sig));
    }

    [Fact]
    public void VerifyTakesAnExplicitTime()
    {
        var signer = new BlobDownloadSigner(Secret, _time);
        var expiresAt = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var (expires, sig) = Parse(signer.Sign(Key, expiresAt));

        Assert.True(signer.TryVerify(Key, expires, sig, expiresAt.AddSeconds(-1)));
        Assert.False(signer.TryVerify(Key, expires, sig, expiresAt));
    }

    [Fact]
    public void ALinkDoesNotOpenAnotherKey()
    {
        var signer = new BlobDownloadSigner(Secret, _time);
        var (expires, sig) = Parse(signer.Sign(Key, TimeSpan.FromMinutes(15)));

        Assert.False(signer.TryVerify("downloads/snap_2.tar.gz", expires, sig));
    }

    [Fact]
    public void ALinkCannotBeExtended()
    {
        var signer = new BlobDownloadSigner(Secret, _time);
        var (expires, sig) = Parse(signer.Sign(Key, TimeSpan.FromMinutes(15)));

        var later = (long.Parse(expires, System.Globalization.CultureInfo.InvariantCulture) + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(signer.TryVerify(Key, later, sig));
    }

    [Fact]
    public void ALinkSignedWithAnotherSecretIsRefused()
    {
        var (expires, sig) = Parse(new BlobDownloadSigner(Secret, _time).Sign(Key, TimeSpan.FromMinutes(15)));
        var other = new BlobDownloadSigner([.. Secret.Select(b => (byte)(b ^ 0xFF))], _time);

        Assert.False(other.TryVerify(Key, expires, sig));
    }

    [Fact]
    public void AnySignatureChangeIsRefused()
    {
        var signer = new BlobDownloadSigner(Secret, _time);
        var (expires, sig) = Parse(signer.Sign(Key, TimeSpan.FromMinutes(15)));

        for (var i = 0; i < sig.Length; i++)
        {
            var flipped = sig.ToCharArray();
            flipped[i] = flipped[i] == 'A' ? 'B' : 'A';
            Assert.False(signer.TryVerify(Key, expires, new string(flipped)), $"changed character {i}");
        }
    }

    [Fact]
    public void EveryOneCharacterChangeOfTheSignatureIsRefusedWithoutThrowing()
    {
        var signer = new BlobDownloadSigner(Secret, _time);
        var (expires, sig) = Parse(signer.Sign(Key, TimeSpan.FromMinutes(15)));
        char[] replacements = [.. Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c), '\0', '\n', 'é', '\u2028', '\uFFFD'];

        for (var i = 0; i < sig.Length; i++)
        {
            foreach (var c in replacements.Where(c => c != sig[i]))
            {
                var changed = sig.ToCharArray();
                changed[i] = c;
                Assert.False(signer.TryVerify(Key, expires, new string(changed)), $"character {i} changed to U+{(int)c:X4}");
            }
        }

        Assert.True(signer.TryVerify(Key, expires, sig));
    }

    [Fact]
    public void OnlyTheCanonicalExpiryIsAccepted()
    {
        var signer = new BlobDownloadSigner(Secret, _time);
        var (expires, sig) = Parse(signer.Sign(Key, TimeSpan.FromMinutes(15)));

        Assert.True(signer.TryVerify(Key, expires, sig));
        Assert.False(signer.TryVerify(Key, "0" + expires, sig));
        Assert.False(signer.TryVerify(Key, "00" + expires, sig));
        Assert.False(signer.TryVerify(Key, expires + " ", sig));
    }

    [Theory]
    [InlineData(null, "x")]
    [InlineData("", "x")]
    [InlineData("abc", "x")]
    [InlineData("-1", "x")]
    [InlineData("+1900000000", "x")]
    [InlineData(" 1900000000", "x")]
    [InlineData("1900000000.0", "x")]
    [InlineData("99999999999999999999999", "x")]
    [InlineData("1900000000", null)]
    [InlineData("1900000000", "")]
    [InlineData("1900000000", "not base64 at all!")]
    [InlineData("1900000000", "AAAA")]
    [InlineData("1900000000", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("1900000000", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void MalformedQueryValuesAreRefusedWithoutThrowing(string? expires, string? sig)
    {
        var signer = new BlobDownloadSigner(Secret, _time);

        Assert.False(signer.TryVerify(Key, expires, sig));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("../etc/passwd")]
    [InlineData("/downloads/snap_1.tar.gz")]
    public void MalformedKeysAreRefusedWithoutThrowing(string? key)
    {
        var signer = new BlobDownloadSigner(Secret, _time);
        var (expires, sig) = Parse(signer.Sign(Key, TimeSpan.FromMinutes(15)));

        Assert.False(signer.TryVerify(key, expires, sig));
    }

    [Fact]
    public void SigningABadKeyIsABug()
    {
        var signer = new BlobDownloadSigner(Secret, _time);

        Assert.Throws<ArgumentException>(() => signer.Sign("../x", TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => signer.Sign(Key, TimeSpan.Zero));
    }

    [Fact]
    public void AShortSecretIsRefused() =>
        Assert.Throws<ArgumentException>(() => new BlobDownloadSigner(new byte[BlobDownloadSigner.MinSecretLength - 1], _time));

    private static (string Expires, string Sig) Parse(string query)
    {
        var values = QueryHelpers.ParseQuery("?" + query);
        Assert.Equal(2, values.Count);
        return (values[BlobDownloadSigner.ExpiresParameter].ToString(), values[BlobDownloadSigner.SignatureParameter].ToString());
    }
}
