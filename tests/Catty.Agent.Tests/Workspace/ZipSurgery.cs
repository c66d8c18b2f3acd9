using System.Buffers.Binary;

namespace Catty.Agent.Tests.Workspace;

/// <summary>Edits the headers of a single-entry zip the way a doctored archive would.</summary>
internal static class ZipSurgery
{
    private const uint LocalHeaderSignature = 0x04034b50;
    private const uint CentralHeaderSignature = 0x02014b50;

    /// <summary>Rewrites the uncompressed size in the local header and the central directory.</summary>
    public static byte[] SetUncompressedSize(byte[] zip, uint size)
    {
        var copy = (byte[])zip.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(22), size);
        for (var i = copy.Length - 46; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(i)) == CentralHeaderSignature)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(i + 24), size);
                return copy;
            }
        }

        throw new InvalidOperationException("no central directory header found");
    }

    /// <summary>Clears general-purpose flag bit 11 ("names are UTF-8") everywhere, as older Unix zip tools write it.</summary>
    public static byte[] ClearUtf8Flag(byte[] zip)
    {
        var copy = (byte[])zip.Clone();
        for (var i = 0; i + 4 <= copy.Length; i++)
        {
            switch (BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(i)))
            {
                case LocalHeaderSignature:
                    copy[i + 7] &= 0xF7;
                    break;
                case CentralHeaderSignature:
                    copy[i + 9] &= 0xF7;
                    break;
                default:
                    break;
            }
        }

        return copy;
    }
}
