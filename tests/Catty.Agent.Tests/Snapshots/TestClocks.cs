namespace Catty.Agent.Tests.Snapshots;

/// <summary>A clock set to a chosen instant, to say how long ago a file was touched without waiting.</summary>
internal sealed class SetClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>A clock an hour ahead: every file the test just wrote counts as settled.</summary>
    public static SetClock AnHourAhead() => new(DateTimeOffset.UtcNow.AddHours(1));
}
