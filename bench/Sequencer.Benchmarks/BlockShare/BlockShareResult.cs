namespace Sequencer.Benchmarks.BlockShare;

/// <summary>
/// One run: the sponsored share of each measured block's gas (and of all of it), the sponsored confirmation latencies
/// (ms), the queue depth samples, the paid flood's queued and refused ("busy") transactions per second.
/// </summary>
internal sealed record BlockShareResult(
    BlockShares Shares, List<double> LatenciesMs, List<int> QueueDepths, double PaidQueuedPerSecond, double PaidBusyPerSecond, double Seconds);

/// <summary>Per measured block, the sponsored percent of its gas; the overall percent; how many blocks were full.</summary>
internal sealed record BlockShares(List<double> PerBlock, double Overall, int Full, ulong FirstBlock, ulong LastBlock);
