using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Catty.Cli.Tests.Infrastructure;

/// <summary>
/// A FakeTimeProvider that reports every timer created on it with its due time, so a test can see exactly
/// how long code under test chose to wait, and advance the clock only once it is waiting.
/// </summary>
internal sealed class TimerWatchingClock() : FakeTimeProvider(DateTimeOffset.UtcNow)
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public ChannelReader<TimeSpan> Timers => _timers.Reader;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }
}
