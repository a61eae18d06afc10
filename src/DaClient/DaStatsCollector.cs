namespace DaClient;

/// <summary>Lock-free counters behind <see cref="DaStats"/>; each client owns one.</summary>
internal sealed class DaStatsCollector
{
    private readonly DaCommitmentKind _kind;
    private long _puts;
    private long _bytesPut;
    private long _putFailures;
    private long _failovers;
    private long _retries;
    private long _gets;
    private long _bytesGot;
    private long _lastPutTicks;
    private long _totalPutTicks;
    private long _onDemandBytes;

    public DaStatsCollector(DaCommitmentKind kind) => _kind = kind;

    public void PutSucceeded(int bytes, TimeSpan latency)
    {
        Interlocked.Increment(ref _puts);
        Interlocked.Add(ref _bytesPut, bytes);
        Interlocked.Exchange(ref _lastPutTicks, latency.Ticks);
        Interlocked.Add(ref _totalPutTicks, latency.Ticks);
    }

    public void PutFailed(bool failover)
    {
        Interlocked.Increment(ref _putFailures);
        if (failover)
        {
            Interlocked.Increment(ref _failovers);
        }
    }

    public void Retried() => Interlocked.Increment(ref _retries);

    public void GetSucceeded(int bytes)
    {
        Interlocked.Increment(ref _gets);
        Interlocked.Add(ref _bytesGot, bytes);
    }

    public void WentOnDemand(long bytes) => Interlocked.Add(ref _onDemandBytes, bytes);

    public DaStats Snapshot() => new(
        _kind,
        Interlocked.Read(ref _puts),
        Interlocked.Read(ref _bytesPut),
        Interlocked.Read(ref _putFailures),
        Interlocked.Read(ref _failovers),
        Interlocked.Read(ref _retries),
        Interlocked.Read(ref _gets),
        Interlocked.Read(ref _bytesGot),
        TimeSpan.FromTicks(Interlocked.Read(ref _lastPutTicks)),
        TimeSpan.FromTicks(Interlocked.Read(ref _totalPutTicks)),
        Interlocked.Read(ref _onDemandBytes));
}
