using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Catty.Server.Tests.Infrastructure;

/// <summary>Keeps every log line the server writes, at every level, so tests can search them.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public string AllText => string.Join('\n', _lines);

    /// <summary>Warnings and worse, for a failing test's message.</summary>
    public string Problems => string.Join('\n', _lines.Where(l => l.Split(' ', 3) is [_, "Warning" or "Error" or "Critical", _]));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)} [{properties}] {exception}");
        }
    }
}
