using System.Collections.Concurrent;

namespace Compliance.Azure.Tests.Collectors.Fakes;

/// <summary>
/// A clock whose timers fire at once and move the clock forward by their due time: every wait the
/// collectors make (Retry-After, quota resets, back-off) is recorded and costs no real time.
/// </summary>
public sealed class InstantTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start;

    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Waits.Enqueue(dueTime);
            lock (_lock)
            {
                _now += dueTime;
            }

            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new NoTimer();
    }

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
