using System.Globalization;
using System.Text.RegularExpressions;

namespace Catty.Cli.Commands;

/// <summary>Durations as typed on the command line: <c>2h</c>, <c>90m</c>, <c>1h30m</c>, <c>45s</c>, or plain seconds.</summary>
internal static partial class DurationText
{
    public static int ToSeconds(string text)
    {
        var match = Pattern().Match(text.Trim());
        if (!match.Success || text.Trim().Length == 0)
        {
            throw new CliFailure($"'{text}' is not a duration.", "Write it like 2h, 90m or 1h30m.", ExitCodes.Usage);
        }

        long seconds = 0;
        foreach (var (group, unit) in new[] { ("h", 3600L), ("m", 60L), ("s", 1L) })
        {
            if (match.Groups[group].Success)
            {
                seconds += long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) * unit;
            }
        }

        if (match.Groups["plain"].Success)
        {
            seconds = long.Parse(match.Groups["plain"].Value, CultureInfo.InvariantCulture);
        }

        if (seconds <= 0 || seconds > int.MaxValue)
        {
            throw new CliFailure($"'{text}' is not a usable duration.", "Give a positive duration like 2h.", ExitCodes.Usage);
        }

        return (int)seconds;
    }

    /// <summary>The other way round, for messages: <c>45 s</c>, <c>2 min 5 s</c>, <c>1 h 30 min</c> (whole seconds, rounded up).</summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0, duration.TotalSeconds));
        var parts = new List<string>();
        if (seconds >= 3600)
        {
            parts.Add($"{seconds / 3600} h");
        }

        if (seconds % 3600 >= 60)
        {
            parts.Add($"{seconds % 3600 / 60} min");
        }

        if (seconds % 60 > 0 || parts.Count == 0)
        {
            parts.Add($"{seconds % 60} s");
        }

        return string.Join(' ', parts);
    }

    [GeneratedRegex(@"^(?:(?<plain>\d{1,9})|(?:(?<h>\d{1,6})h)?(?:(?<m>\d{1,7})m)?(?:(?<s>\d{1,9})s)?)$")]
    private static partial Regex Pattern();
}
