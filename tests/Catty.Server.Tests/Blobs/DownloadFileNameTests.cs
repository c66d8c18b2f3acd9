using System.Net.Http.Headers;
using Catty.Server.Blobs;

namespace Catty.Server.Tests.Blobs;

public sealed class DownloadFileNameTests
{
    [Fact]
    public void PlainNameIsQuotedAndEncoded() =>
        Assert.Equal("attachment; filename=\"my-app.tar.gz\"; filename*=UTF-8''my-app.tar.gz", DownloadFileName.ToContentDisposition("my-app.tar.gz"));

    [Fact]
    public void OtherCharactersGetAnAsciiFallbackAndAUtf8Form()
    {
        var header = DownloadFileName.ToContentDisposition("caf\u00e9 \"v2\".tar.gz");

        Assert.Equal("attachment; filename=\"caf_ _v2_.tar.gz\"; filename*=UTF-8''caf%C3%A9%20%22v2%22.tar.gz", header);
        var parsed = ContentDispositionHeaderValue.Parse(header);
        Assert.Equal("caf\u00e9 \"v2\".tar.gz", parsed.FileNameStar);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("dir/a.tar.gz")]
    [InlineData("dir\\a.tar.gz")]
    [InlineData("a\r\nSet-Cookie: x=y")]
    public void UnsafeNamesThrow(string name) =>
        Assert.Throws<ArgumentException>(() => DownloadFileName.ToContentDisposition(name));

    [Fact]
    public void OverlongNamesThrow() =>
        Assert.Throws<ArgumentException>(() => DownloadFileName.Validate(new string('a', DownloadFileName.MaxLength + 1)));
}
