using System.Globalization;

namespace Catty.Cli.Output;

/// <summary>Ages as people say them: "just now", "5m ago", "2h ago", "3d ago".</summary>
internal static class RelativeTime
{
    public static string Format(DateTimeOffset then, DateTimeOffset now)
    {
        var age = now - then;
        return age switch
        {
            { TotalSeconds: < 60 } => "just now",
            { TotalMinutes: < 60 } => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes}m ago"),
            { TotalHours: < 24 } => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours}h ago"),
            { TotalDays: < 60 } => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays}d ago"),
            _ => then.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }
}
