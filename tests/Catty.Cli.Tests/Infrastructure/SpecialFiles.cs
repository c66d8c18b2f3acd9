using System.Runtime.InteropServices;

namespace Catty.Cli.Tests.Infrastructure;

/// <summary>What tests make that .NET cannot: FIFOs and device nodes.</summary>
internal static partial class SpecialFiles
{
    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkFifo(string path, int mode);

    [LibraryImport("libc", EntryPoint = "mknod", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkNod(string path, int mode, ulong device);

    public static Catty.Cli.Native.FileKind FileKindOf(string path) => Catty.Cli.Native.FileStatus.Of(path).Kind;
}
