namespace DaClient;

/// <summary>
/// A point-in-time copy of a DA client's counters (monotonic since start), cheap to read.
/// </summary>
public sealed record DaStats(
    DaCommitmentKind Kind,
    long Puts,
    long BytesPut,
    long PutFailures,
    long Failovers,
    long Retries,
    long Gets,
    long BytesGot,
    TimeSpan LastPutLatency,
    TimeSpan TotalPutLatency,
    long OnDemandBytes)
{
    /// <summary>Mean latency of successful puts; zero before the first.</summary>
    public TimeSpan MeanPutLatency => Puts == 0 ? TimeSpan.Zero : TotalPutLatency / Puts;
}
