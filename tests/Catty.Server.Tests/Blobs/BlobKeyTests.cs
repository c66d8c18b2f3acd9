using Catty.Server.Blobs;

namespace Catty.Server.Tests.Blobs;

public sealed class BlobKeyTests
{
    [Theory]
    [InlineData("blobs/sha256/ab/ab3f9c0d2e")]
    [InlineData("snapshots/ses_01HZX/42.json")]
    [InlineData("downloads/snap-7.tar.gz")]
    [InlineData("x")]
    [InlineData("a.b_c-D9/e")]
    public void WellFormedKeysAreAccepted(string key)
    {
        BlobKey.Validate(key);
        Assert.True(BlobKey.IsValid(key));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/blobs/x", "starts with '/'")]
    [InlineData("blobs//x", "empty segment")]
    [InlineData("blobs/x/", "empty segment")]
    [InlineData("blobs/../x", "starts with '.'")]
    [InlineData("..", "starts with '.'")]
    [InlineData("blobs/.x.0011.tmp", "starts with '.'")]
    [InlineData("blobs\\x", "backslash")]
    [InlineData("blobs/a b", "character other than")]
    [InlineData("blobs/\u00e9", "character other than")]
    [InlineData("blobs/x\u0000", "character other than")]
    public void MalformedKeysThrowWithTheReason(string key, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => BlobKey.Validate(key));

        Assert.Equal("key", error.ParamName);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(BlobKey.IsValid(key));
    }

    [Fact]
    public void LengthLimitsAreEnforced()
    {
        BlobKey.Validate(new string('a', BlobKey.MaxSegmentLength));
        Assert.Throws<ArgumentException>(() => BlobKey.Validate(new string('a', BlobKey.MaxSegmentLength + 1)));
        Assert.Throws<ArgumentException>(() => BlobKey.Validate(string.Join('/', Enumerable.Repeat(new string('a', 100), 6))));
    }

    [Fact]
    public void ControlCharactersDoNotReachTheMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => BlobKey.Validate("blobs/x\r\ninjected"));

        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullIsABug() => Assert.Throws<ArgumentNullException>(() => BlobKey.Validate(null!));

    [Theory]
    [InlineData("")]
    [InlineData("blobs/")]
    [InlineData("blobs/sha256/a")]
    [InlineData("snapshots/ses_1")]
    public void PrefixesMayEndAnywhere(string prefix) => BlobKey.ValidatePrefix(prefix);

    [Theory]
    [InlineData("/")]
    [InlineData("blobs//")]
    [InlineData("../")]
    [InlineData("blobs/.")]
    [InlineData("blobs\\")]
    public void MalformedPrefixesThrow(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => BlobKey.ValidatePrefix(prefix));

        Assert.Equal("prefix", error.ParamName);
    }
}
