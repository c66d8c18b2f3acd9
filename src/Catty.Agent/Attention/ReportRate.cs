namespace Catty.Agent.Attention;

/// <summary>
/// A token bucket for hook reports: <c>burst</c> at once, refilled at <c>perSecond</c>. Claude Code reports
/// a few times per tool call; a program that reports faster gets "rate_limited" and changes nothing.
/// </summary>
internal sealed class ReportRate(int burst, double perSecond, TimeProvider time)
{
    private readonly object _gate = new();
    private double _tokens = burst;
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * perSecond));
            _last = now;
            if (_tokens < 1)
                return false;
            _tokens -= 1;
            return true;
        }
    }
}
