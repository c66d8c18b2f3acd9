using System.Net.Sockets;
using System.Reflection;

namespace Catty.Server.Relay;

/// <summary>
/// Lets the runtime complete a relayed connection's socket operations on its socket engine's thread instead of
/// handing each completion to a thread-pool worker.
/// </summary>
/// <remarks>
/// On Linux a completion otherwise costs a second wake-up (the engine's thread queues it, a pool worker runs
/// it, and the pool wakes another worker in case more work follows): a keystroke crossed three or four threads
/// each way. Inline, a read from one side and the write to the other run on the engine's thread, which is safe
/// because the relay never blocks: its writes either complete at once or go pending like its reads (see
/// docs/design/0306). The process-wide switch for this (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS) would
/// also run every API request's continuations there, database work included. The per-socket switch is the
/// runtime's internal <c>Socket.PreferInlineCompletions</c>, reached by reflection; where it is missing nothing
/// changes but the speed.
/// </remarks>
internal static class InlineCompletions
{
    private static readonly Action<Socket, bool>? SetPreferInlineCompletions =
        typeof(Socket).GetProperty("PreferInlineCompletions", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)?
            .SetMethod?.CreateDelegate<Action<Socket, bool>>();

    /// <summary>Turns inline completions on for <paramref name="socket"/>; false when there is none or the runtime lacks the switch.</summary>
    public static bool TryEnable(Socket? socket)
    {
        if (SetPreferInlineCompletions is null || socket is null)
        {
            return false;
        }

        SetPreferInlineCompletions(socket, true);
        return true;
    }
}
