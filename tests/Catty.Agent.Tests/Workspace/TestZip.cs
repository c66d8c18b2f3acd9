using System.IO.Compression;
using System.Text;

namespace Catty.Agent.Tests.Workspace;

/// <summary>Builds zip archives in memory, including the hostile ones a real client would never send.</summary>
internal sealed class TestZip
{
    public const int FileType = 0x8000; // S_IFREG
    public const int DirectoryType = 0x4000;
    public const int SymlinkType = 0xA000;
    public const int CharDeviceType = 0x2000;
    public const int FifoType = 0x1000;

    private readonly List<(string Name, byte[] Content, int? UnixMode, CompressionLevel Level)> _entries = [];

    public TestZip File(string name, string content, int? mode = null) => File(name, Encoding.UTF8.GetBytes(content), mode);

    public TestZip File(string name, byte[] content, int? mode = null, CompressionLevel level = CompressionLevel.Fastest)
    {
        _entries.Add((name, content, mode is { } m ? FileType | m : null, level));
        return this;
    }

    public TestZip Directory(string name, int? mode = null)
    {
        _entries.Add((name, [], mode is { } m ? DirectoryType | m : null, CompressionLevel.Fastest));
        return this;
    }

    public TestZip Symlink(string name, string target)
    {
        _entries.Add((name, Encoding.UTF8.GetBytes(target), SymlinkType | 0x1FF, CompressionLevel.Fastest));
        return this;
    }

    /// <summary>An entry with a raw Unix mode (type bits included).</summary>
    public TestZip Raw(string name, int unixMode, byte[]? content = null)
    {
        _entries.Add((name, content ?? [], unixMode, CompressionLevel.Fastest));
        return this;
    }

    public byte[] ToArray()
    {
        var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, mode, level) in _entries)
            {
                var entry = archive.CreateEntry(name, level);
                // Unix mode in the high half, as Info-ZIP writes it; zero means "made on a system without modes".
                entry.ExternalAttributes = mode is { } m ? unchecked((int)((uint)m << 16)) : 0;
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }
}
