using Sequencer.Log;
using TestInfrastructure.Storage;

namespace Sequencer.Tests.Log;

/// <summary>The log on a real filesystem that runs full, then gets space again: it recovers by itself, nothing lost.</summary>
public sealed class WalDiskFullTests
{
    private const long SegmentBytes = 64 * 1024;

    [Fact]
    public void AFullDisk_HoldsTheRecords_AndTheLogCatchesUpByItselfOnceSpaceReturns()
    {
        using var filesystem = SmallFilesystem.Mount(2 * 1024 * 1024);
        var wal = Path.Combine(filesystem.Path, "wal");
        var random = new Random(77);
        var raws = new List<byte[]>();
        var failures = 0;
        var recoveries = 0;
        Exception? failure = null;
        // The callbacks run on the log's flush thread, after it publishes the durable end: counted with Interlocked
        // and waited for below, so the asserts never read them half-way through the recovery.
        using (var log = new WriteAheadLog(wal, SegmentBytes, fsync: true, 0, _ => { }, ex => { failure = ex; Interlocked.Increment(ref failures); }, () => Interlocked.Increment(ref recoveries)))
        {
            AppendGroup(log, raws, random, 50);
            Assert.True(SpinWait.SpinUntil(() => log.DurableEndSequence == raws.Count, TimeSpan.FromSeconds(30)));

            var filler = filesystem.Fill();
            while (log.Failure is null)
            {
                Assert.True(raws.Count < 20_000, "the log never noticed the full disk");
                AppendGroup(log, raws, random, 5);
                SpinWait.SpinUntil(() => log.DurableEndSequence == raws.Count || log.Failure is not null, TimeSpan.FromSeconds(30));
            }

            // The log publishes Failure before it calls back: wait for the callback, not for the property.
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref failures) > 0, TimeSpan.FromSeconds(30)), "the failure callback never ran");
            Assert.Contains("space", Volatile.Read(ref failure)!.Message, StringComparison.OrdinalIgnoreCase);
            var durableWhileFull = log.DurableEndSequence;
            Assert.True(durableWhileFull < raws.Count);

            // Still full: retries fail, nothing becomes durable. More records queue meanwhile, more than the
            // current segment has room for, so the first successful retry also moves on to a new segment.
            AppendGroup(log, raws, random, (int)(SegmentBytes / 200) + 10);
            Thread.Sleep(3 * WriteAheadLog.RetryInterval);
            Assert.NotNull(log.Failure);
            Assert.Equal(durableWhileFull, log.DurableEndSequence);

            SmallFilesystem.Free(filler);
            Assert.True(SpinWait.SpinUntil(() => log.Failure is null && log.DurableEndSequence == raws.Count && Volatile.Read(ref recoveries) > 0, TimeSpan.FromSeconds(30)),
                $"the log did not catch up after space returned: durable {log.DurableEndSequence} of {raws.Count}, failure {log.Failure?.Message}");
            Assert.Equal(1, failures);
            Assert.Equal(1, recoveries);

            AppendGroup(log, raws, random, 10);
            Assert.True(SpinWait.SpinUntil(() => log.DurableEndSequence == raws.Count, TimeSpan.FromSeconds(30)));
        }

        var read = new List<byte[]>();
        var report = WalRecovery.Replay(wal, (in TxLogRecord _, ReadOnlySpan<byte> raw) => read.Add(raw.ToArray()));
        Assert.Null(report.Damage);
        Assert.True(report.Segments > 1);
        Assert.Equal(raws.Count, read.Count);
        Assert.All(raws.Zip(read), pair => Assert.Equal(pair.First, pair.Second));
    }

    private static void AppendGroup(WriteAheadLog log, List<byte[]> raws, Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var raw = TestLogWriter.RandomRaw(random, random.Next(40, 120));
            log.Append(TestLogWriter.RecordFor(raws.Count), raw);
            raws.Add(raw);
        }

        log.Commit();
    }
}
