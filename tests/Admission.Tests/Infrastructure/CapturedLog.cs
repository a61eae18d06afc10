using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Admission.Tests.Infrastructure;

/// <summary>Every log line a host writes, for tests that check what is (and is never) logged.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
