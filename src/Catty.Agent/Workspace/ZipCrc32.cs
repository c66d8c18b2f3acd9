using System.Buffers.Binary;

namespace Catty.Agent.Workspace;

/// <summary>
/// The zip CRC-32 (IEEE 802.3, reflected 0xEDB88320), slice-by-8. The framework's zip reader neither checks
/// an entry's CRC nor reports when its data runs past the declared size (it stops there), so the
/// extractor checks both itself: a damaged or doctored archive is refused instead of extracted wrong.
/// </summary>
internal struct ZipCrc32
{
    private static readonly uint[][] s_tables = BuildTables();
    private uint _state = 0xFFFFFFFF;

    public ZipCrc32()
    {
    }

    public readonly uint Value => ~_state;

    public void Append(ReadOnlySpan<byte> data)
    {
        var crc = _state;
        var t = s_tables;
        while (data.Length >= 8)
        {
            var one = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            var two = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t[7][one & 0xFF] ^ t[6][(one >> 8) & 0xFF] ^ t[5][(one >> 16) & 0xFF] ^ t[4][one >> 24]
                ^ t[3][two & 0xFF] ^ t[2][(two >> 8) & 0xFF] ^ t[1][(two >> 16) & 0xFF] ^ t[0][two >> 24];
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = t[0][(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        _state = crc;
    }

    private static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        for (var k = 0; k < 8; k++)
        {
            tables[k] = new uint[256];
        }

        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            tables[0][i] = c;
        }

        for (var i = 0; i < 256; i++)
        {
            for (var k = 1; k < 8; k++)
            {
                tables[k][i] = (tables[k - 1][i] >> 8) ^ tables[0][tables[k - 1][i] & 0xFF];
            }
        }

        return tables;
    }
}
