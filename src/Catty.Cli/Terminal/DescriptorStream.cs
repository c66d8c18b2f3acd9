using System.Runtime.InteropServices;

namespace Catty.Cli.Terminal;

/// <summary>
/// A stream over an inherited file descriptor with plain read(2) and write(2). FileStream would use pwrite at
/// its own idea of the offset when standard output is a file, overwriting what the shell wrote before
/// (<c>(echo a; catty list) &gt; out</c>); the shared file offset is what a program must honour.
/// </summary>
internal sealed partial class DescriptorStream(int fd, bool writable) : Stream
{
    private const int EINTR = 4;
    private const int EAGAIN = 11;

    public override bool CanRead => !writable;

    public override bool CanSeek => false;

    public override bool CanWrite => writable;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override unsafe int Read(Span<byte> buffer)
    {
        fixed (byte* data = buffer)
        {
            while (true)
            {
                var read = ReadRaw(fd, data, buffer.Length);
                if (read >= 0)
                {
                    return (int)read;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR)
                {
                    throw new IOException($"reading descriptor {fd} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* data = buffer)
        {
            var done = 0;
            while (done < buffer.Length)
            {
                var written = WriteRaw(fd, data + done, buffer.Length - done);
                if (written >= 0)
                {
                    done += (int)written;
                    continue;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno is EINTR or EAGAIN)
                {
                    // EAGAIN: someone made the terminal non-blocking; wait a moment rather than lose output.
                    if (errno == EAGAIN)
                    {
                        Thread.Yield();
                    }

                    continue;
                }

                throw new IOException($"writing descriptor {fd} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadRaw(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteRaw(int fd, byte* buffer, nint count);
}
