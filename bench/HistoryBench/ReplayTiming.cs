using System.Diagnostics;
using Sequencer.History;
using Sequencer.Sequencing;

namespace HistoryBench;

/// <summary>Times the recovery itself in one process, several times (the first includes JIT), with CPU time.</summary>
internal static class ReplayTiming
{
    public static int Run(string dataDirectory, int times)
    {
        var checkpoint = Checkpoint.TryRead(Path.Combine(dataDirectory, "history"), out _)!;
        for (var i = 0; i < times; i++)
        {
            var scan = Stopwatch.StartNew();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var n = 0L;
            Sequencer.Log.WalRecovery.Replay(Path.Combine(dataDirectory, "wal"), (in Sequencer.Log.TxLogRecord r, ReadOnlySpan<byte> raw) => n += raw.Length, Sequencer.Log.WalRepair.None, checkpoint.Position);
            Console.WriteLine($"log scan only: {scan.Elapsed.TotalMilliseconds:F0} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds:F0} ms CPU");
            scan.Restart();
            cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            Sequencer.Log.WalRecovery.Replay(Path.Combine(dataDirectory, "wal"), (in Sequencer.Log.TxLogRecord r, ReadOnlySpan<byte> raw) => n += Primitives.Keccak.Hash(raw).GetHashCode(), Sequencer.Log.WalRepair.None, checkpoint.Position);
            Console.WriteLine($"log scan + keccak: {scan.Elapsed.TotalMilliseconds:F0} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds:F0} ms CPU");

            File.Copy(Path.Combine(dataDirectory, "checkpoint.generated"), Path.Combine(dataDirectory, "history", Checkpoint.FileName), overwrite: true);
            var genesis = BlockAssembler.CreateGenesis(0, 30_000_000);
            var store = new ChainStore(genesis, new Sequencer.Options.HistoryOptions());
            var nonces = new NonceBook(16, 10_000, TimeSpan.FromSeconds(1), TimeProvider.System);
            var blocks = new BlockAssembler(store, 30_000_000);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var gcs = GC.CollectionCount(0);
            var clock = Stopwatch.StartNew();
            var recovered = ChainRecovery.Replay(Path.Combine(dataDirectory, "wal"), Path.Combine(dataDirectory, "history"), new ChainAppender(store, nonces, blocks), 50_000, 64L << 20, fsync: false);
            Console.WriteLine($"replay {recovered.Report.Records} records: {clock.Elapsed.TotalMilliseconds:F0} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms CPU, {GC.CollectionCount(0) - gcs} gen0 GCs");
        }

        return 0;
    }
}
