using System.Buffers;
using System.Text.Json;

namespace Catty.Agent.SyncBack;

/// <summary>
/// Serializes <c>file_change</c> messages straight to UTF-8, base64 written from the file's bytes: a
/// 50 MB file would otherwise pass through a 67 MB base64 string (twice that as UTF-16) and then be
/// serialized again. The shape is the one <c>CattyJson</c> gives <c>FileChangeMessage</c>.
/// </summary>
internal static class FileChangeJson
{
    public static byte[] Write(string path, ReadOnlySpan<byte> content, int mode)
    {
        var buffer = new ArrayBufferWriter<byte>(content.Length / 3 * 4 + path.Length + 96);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "file_change"u8);
            writer.WriteString("action"u8, "write"u8);
            writer.WriteString("path"u8, path);
            writer.WriteBase64String("content"u8, content);
            writer.WriteNumber("mode"u8, mode);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Delete(string path)
    {
        var buffer = new ArrayBufferWriter<byte>(path.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "file_change"u8);
            writer.WriteString("action"u8, "delete"u8);
            writer.WriteString("path"u8, path);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
