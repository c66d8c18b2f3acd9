using System.Buffers.Binary;

namespace Catty.Agent.Workspace;

/// <summary>
/// Reads the entry count an archive declares in its end-of-central-directory record, so that an archive
/// claiming millions of entries is refused before the zip reader materialises an object for each one.
/// </summary>
internal static class ZipDirectoryEnd
{
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const int EndRecordSize = 22;
    private const int MaxCommentSize = 0xFFFF;

    /// <summary>The declared number of entries, or null when no record is found (the zip reader then reports the damage).</summary>
    public static long? ReadDeclaredEntryCount(FileStream zip)
    {
        var tailLength = (int)Math.Min(zip.Length, EndRecordSize + MaxCommentSize);
        if (tailLength < EndRecordSize)
        {
            return null;
        }

        var tail = new byte[tailLength];
        zip.Position = zip.Length - tailLength;
        zip.ReadExactly(tail);

        for (var at = tailLength - EndRecordSize; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) != EndSignature)
            {
                continue;
            }

            long count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
            return count == 0xFFFF ? ReadZip64Count(zip, zip.Length - tailLength + at) ?? count : count;
        }

        return null;
    }

    private static long? ReadZip64Count(FileStream zip, long endRecordOffset)
    {
        var locatorOffset = endRecordOffset - 20;
        if (locatorOffset < 0)
        {
            return null;
        }

        Span<byte> locator = stackalloc byte[20];
        zip.Position = locatorOffset;
        zip.ReadExactly(locator);
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
        {
            return null;
        }

        var recordOffset = BinaryPrimitives.ReadInt64LittleEndian(locator[8..]);
        if (recordOffset < 0 || recordOffset > zip.Length - 56)
        {
            return null;
        }

        Span<byte> record = stackalloc byte[56];
        zip.Position = recordOffset;
        zip.ReadExactly(record);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadInt64LittleEndian(record[32..]);
        return count < 0 ? long.MaxValue : count;
    }
}
