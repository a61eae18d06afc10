using Primitives;
using Primitives.Chain;
using Sequencer.History;
using Sequencer.Log;
using Sequencer.Options;
using Sequencer.Sequencing;
using Sequencer.Tests.Log;

namespace Sequencer.Tests.Sequencing;

/// <summary>
/// The replay of a log into the chain (<see cref="ChainRecovery"/>), over logs long enough to take many of its batches:
/// the state comes back exact, and a record that does not belong (its accumulator, its place in a block, its sequence)
/// stops the start at that record, in log order, with the log left as it was.
/// </summary>
public sealed class ChainRecoveryTests : IDisposable
{
    private const int PerBlock = 100;
    private const int Senders = 7;
    private const ulong GasLimit = 30_000_000;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "chain-recovery-" + Guid.NewGuid().ToString("N"));

    private string Wal => Path.Combine(_directory, "wal");

    private string HistoryDirectory => Path.Combine(_directory, "history");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void LongLog_ComesBackExact_TransactionsBlocksNoncesAndAccumulator()
    {
        var written = WriteChain(20_003);

        var (recovered, store, nonces) = Recover();

        Assert.Equal(20_003, recovered.NextSequence);
        Assert.Equal(written[^1].Accumulator, recovered.Accumulator);
        Assert.Equal(20_003, recovered.Report.Records);
        foreach (var sequence in new[] { 0, 1, 4095, 4096, 8191, 8192, 12_345, 20_002 })
        {
            var tx = store.GetTransaction(written[sequence].Hash);
            Assert.NotNull(tx);
            Assert.Equal(sequence, tx.Sequence);
            Assert.Equal(written[sequence].Accumulator, tx.Accumulator);
        }

        // 20,003 records at 100 a block: 200 full blocks and the one open at the crash, sealed by recovery.
        Assert.Equal(201UL, store.LatestBlockNumber);
        for (var sender = 0; sender < Senders; sender++)
        {
            var sent = (ulong)((20_003 - 1 - sender) / Senders + 1);
            Assert.Equal(sent, nonces.GetPending(SenderOf(sender)));
            Assert.Equal(sent, store.GetLatestNonce(SenderOf(sender)));
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4_103)]
    [InlineData(19_990)]
    public void AccumulatorMismatch_StopsAtThatRecord_AndLeavesATornTailInPlace(int bad)
    {
        WriteChain(20_000, badAccumulatorAt: bad);
        var segment = AppendTornWrite();
        var length = new FileInfo(segment).Length;

        var failure = Assert.Throws<WalCorruptedException>(() => Recover());

        Assert.Equal($"write-ahead log: accumulator mismatch at sequence {bad}", failure.Message);
        Assert.Equal(length, new FileInfo(segment).Length);
    }

    [Fact]
    public void RecordOutOfItsBlock_StopsAtThatRecord()
    {
        WriteChain(12_000, misplacedAt: 9_000);

        var failure = Assert.Throws<WalCorruptedException>(() => Recover());

        Assert.Contains("sequence 9000", failure.Message, StringComparison.Ordinal);
        Assert.Contains("block", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EarlierBadRecord_IsReported_BeforeALaterOneTheReaderFinds()
    {
        // An accumulator mismatch early on, and far after it a record whose sequence does not follow: the replay reads
        // ahead of what it applies, but the error is the first bad record in log order, as a replay on one thread gives.
        WriteChain(12_000, badAccumulatorAt: 100);
        var segment = Directory.GetFiles(Wal, "*.wal").Order().Last();
        var outOfPlace = TestLogWriter.FrameWrite(12_005, [TestLogWriter.RandomRaw(new Random(3), 90)], new FileInfo(segment).Length);
        using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write(outOfPlace);
        }

        var failure = Assert.Throws<WalCorruptedException>(() => Recover());

        Assert.Equal("write-ahead log: accumulator mismatch at sequence 100", failure.Message);
    }

    [Fact]
    public void ReaderFailure_IsReported_AfterEverythingBeforeItWasApplied()
    {
        WriteChain(12_000);
        var segment = Directory.GetFiles(Wal, "*.wal").Order().Last();
        var outOfPlace = TestLogWriter.FrameWrite(12_005, [TestLogWriter.RandomRaw(new Random(3), 90)], new FileInfo(segment).Length);
        using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write(outOfPlace);
        }

        var failure = Assert.Throws<WalCorruptedException>(() => Recover());

        Assert.Contains("sequence 12005 follows 11999", failure.Message, StringComparison.Ordinal);
    }

    private static Address SenderOf(int index)
    {
        var bytes = new byte[Address.Length];
        bytes[19] = (byte)(index + 1);
        return new Address(bytes);
    }

    private (RecoveredChain Recovered, ChainStore Store, NonceBook Nonces) Recover()
    {
        var genesis = BlockAssembler.CreateGenesis(0, GasLimit);
        var store = new ChainStore(genesis, new HistoryOptions());
        var nonces = new NonceBook(16, 10_000, TimeSpan.FromSeconds(1), TimeProvider.System);
        var blocks = new BlockAssembler(store, GasLimit);
        var recovered = ChainRecovery.Replay(Wal, HistoryDirectory, new ChainAppender(store, nonces, blocks), 50_000, 64L << 20, fsync: false);
        return (recovered, store, nonces);
    }

    /// <summary>A write whose fsync never returned: half a record at the end of the newest segment.</summary>
    private string AppendTornWrite()
    {
        var segment = Directory.GetFiles(Wal, "*.wal").Order().Last();
        var write = TestLogWriter.FrameWrite(999_999, [TestLogWriter.RandomRaw(new Random(5), 120)], new FileInfo(segment).Length);
        using var stream = new FileStream(segment, FileMode.Append);
        stream.Write(write.AsSpan(0, write.Length / 2));
        return segment;
    }

    /// <summary>Writes <paramref name="count"/> records of a valid chain through the real log (small segments, so several).</summary>
    private List<(Hash32 Hash, Hash32 Accumulator)> WriteChain(int count, int badAccumulatorAt = -1, int misplacedAt = -1)
    {
        Directory.CreateDirectory(Wal);
        var random = new Random(count);
        var written = new List<(Hash32, Hash32)>(count);
        var nonces = new ulong[Senders];
        var accumulator = Accumulator.Genesis;
        Exception? failure = null;
        using var log = new WriteAheadLog(Wal, 1 << 20, fsync: false, 0, _ => { }, ex => failure = ex);
        for (var s = 0; s < count; s++)
        {
            var raw = TestLogWriter.RandomRaw(random, 80 + random.Next(60));
            var hash = Keccak.Hash(raw);
            accumulator = Accumulator.Next(accumulator, hash);
            var stored = s == badAccumulatorAt ? Hash32.FromUInt64(42) : accumulator;
            var block = (ulong)(s / PerBlock) + 1;
            var index = (uint)(s % PerBlock) + (s == misplacedAt ? 1u : 0u);
            var sender = s % Senders;
            log.Append(new TxLogRecord(s, block, index, 1_700_000_000 + block, nonces[sender]++, 21_000, SenderOf(sender), stored), raw);
            written.Add((hash, stored));
            if (s % 1000 == 999 || s == count - 1)
            {
                log.Commit();
                Assert.True(SpinWait.SpinUntil(() => log.DurableEndSequence > s || failure is not null, TimeSpan.FromSeconds(30)));
                Assert.Null(failure);
            }
        }

        return written;
    }
}
