using System.Buffers.Binary;
using Catty.Agent.Workspace;

namespace Catty.Agent.Tests.Workspace;

public sealed class ZipDirectoryEndTests : IDisposable
{
    private readonly TempWorkspace _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_declared_count_of_an_ordinary_zip_is_read()
    {
        var zip = new TestZip().File("a", "a").File("b", "b").Directory("c/").ToArray();

        Assert.Equal(3, Read(zip));
    }

    [Fact]
    public void The_zip64_count_is_read_when_the_classic_field_is_saturated()
    {
        var bytes = new byte[56 + 20 + 22];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, 0x06064b50); // zip64 end record at offset 0
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], 70_000);
        BinaryPrimitives.WriteUInt32LittleEndian(span[56..], 0x07064b50); // locator pointing at it
        BinaryPrimitives.WriteInt64LittleEndian(span[64..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(span[76..], 0x06054b50); // classic end record
        BinaryPrimitives.WriteUInt16LittleEndian(span[86..], 0xFFFF);

        Assert.Equal(70_000, Read(bytes));
    }

    [Fact]
    public void A_body_without_an_end_record_has_no_count()
    {
        Assert.Null(Read(new byte[100]));
        Assert.Null(Read([]));
    }

    [Fact]
    public async Task An_archive_that_declares_too_many_entries_is_refused_before_it_is_parsed()
    {
        var zip = new TestZip().File("a", "a").File("b", "b").ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(zip.Length - 22 + 10), 50_000);

        var result = await new ZipUploadExtractor(new UploadLimits(MaxEntries: 1000))
            .ExtractAsync(new MemoryStream(zip), zip.Length, _temp.Workspace, _temp.Marker, CancellationToken.None);

        var refused = Assert.IsType<UploadResult.Refused>(result);
        Assert.Equal((413, UploadErrors.TooManyEntries), (refused.StatusCode, refused.Error));
        Assert.Contains("declares 50000", refused.Message, StringComparison.Ordinal);
    }

    private long? Read(byte[] bytes)
    {
        var path = Path.Join(_temp.Root, "body.zip");
        File.WriteAllBytes(path, bytes);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        return ZipDirectoryEnd.ReadDeclaredEntryCount(stream);
    }
}
