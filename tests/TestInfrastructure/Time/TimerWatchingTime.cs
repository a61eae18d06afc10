using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace TestInfrastructure.Time;

/// <summary>Fake time that reports each timer it creates, so a test advances time exactly when something waits on it.</summary>
public sealed class TimerWatchingTime : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>The due time of the next timer created (waits for it).</summary>
    public ValueTask<TimeSpan> NextTimerAsync() => _timers.Reader.ReadAsync();

    public bool TimerCreated => _timers.Reader.Count > 0;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }
}
