using System.Diagnostics.Metrics;

namespace Sequencer.Replication;

/// <summary>Instruments of the replica set (meter "Sequencer.Replication"); registered only with a Replication section.</summary>
internal sealed class ReplicationMetrics : IDisposable
{
    public const string MeterName = "Sequencer.Replication";

    private readonly Meter _meter;

    // Seconds, from a loopback round trip to the request deadline (10 s): the default buckets suit milliseconds.
    private static readonly double[] AckBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public ReplicationMetrics(IMeterFactory meterFactory, string nodeId, LeadershipState leadership, ReplicaLinks links, Func<long> leaderEnd)
    {
        _meter = meterFactory.Create(MeterName);
        var ackLatency = _meter.CreateHistogram<double>("replication.ack.duration", "s", "Round trip of a durable acknowledgement from a follower",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AckBuckets });
        foreach (var link in links.All)
        {
            var tag = new KeyValuePair<string, object?>("follower", link.NodeId);
            link.AckMeasured += latency => ackLatency.Record(latency.TotalSeconds, tag);
        }

        _meter.CreateObservableGauge("replication.follower.lag", () => Lags(leadership, links, leaderEnd), "{record}",
            "Records a follower has not acknowledged, measured on the leader");
        // Tagged with this node's id, so that replicas whose series meet in one place (one process in the tests, one
        // dashboard in production) stay apart.
        var node = new KeyValuePair<string, object?>("node", nodeId);
        _meter.CreateObservableGauge("replication.role", () => new Measurement<int>(leadership.IsLeader ? 1 : 0, node), "{role}",
            "1 while this node leads, 0 otherwise");
        _meter.CreateObservableCounter("replication.elections", () => new Measurement<long>(leadership.ElectionsSeen, node), "{election}",
            "Elections this node has seen (a leader with a higher epoch)");
    }

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> Lags(LeadershipState leadership, ReplicaLinks links, Func<long> leaderEnd)
    {
        // Only a leader ships records: on a follower its links are idle and a lag would mean nothing.
        if (!leadership.IsLeader)
        {
            yield break;
        }

        var end = leaderEnd();
        foreach (var link in links.All)
        {
            yield return new Measurement<long>(ReplicationLag.Records(end, link.AcknowledgedEnd), new KeyValuePair<string, object?>("follower", link.NodeId));
        }
    }
}
