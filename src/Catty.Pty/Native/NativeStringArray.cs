using System.Runtime.InteropServices;
using System.Text;

namespace Catty.Pty.Native;

/// <summary>A NULL-terminated array of NUL-terminated UTF-8 strings (an argv or envp) in native memory.</summary>
internal sealed unsafe class NativeStringArray : IDisposable
{
    private readonly int _count;

    public NativeStringArray(IReadOnlyList<string> items)
    {
        _count = items.Count;
        Pointer = (byte**)NativeMemory.AllocZeroed((nuint)(_count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < _count; i++)
        {
            int length = Encoding.UTF8.GetByteCount(items[i]);
            byte* s = (byte*)NativeMemory.Alloc((nuint)length + 1);
            Encoding.UTF8.GetBytes(items[i], new Span<byte>(s, length));
            s[length] = 0;
            Pointer[i] = s;
        }
    }

    public byte** Pointer { get; }

    public void Dispose()
    {
        for (int i = 0; i < _count; i++)
            NativeMemory.Free(Pointer[i]);
        NativeMemory.Free(Pointer);
    }
}
