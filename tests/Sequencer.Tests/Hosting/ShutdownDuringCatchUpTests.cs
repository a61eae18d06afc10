using Primitives;
using Primitives.Chain;
using Sequencer.Log;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;

namespace Sequencer.Tests.Hosting;

/// <summary>
/// A clean stop (SIGTERM) while the host still does background work of its start: the empty-block catch-up after a
/// long stop (one empty block per second the head lags the clock, sealed by the writer before any transaction). It
/// must end with exit code 0, not an unhandled exception (exit 134), and keep everything it had confirmed.
/// </summary>
public sealed class ShutdownDuringCatchUpTests
{
    [Fact]
    public async Task SigtermWhileEmptyBlocksCatchUp_ExitsWithCodeZero_AndKeepsTheLoggedTransaction()
    {
        var directory = Path.Combine(Path.GetTempPath(), "seq-catchup-" + Guid.NewGuid().ToString("N"));
        try
        {
            // A log whose head block is a year old: the catch-up has ~31.5 M empty blocks to seal, far more than any
            // machine seals before the stop below, so the stop always lands in it.
            var wallet = TestWallet.FromSeed(4711, SequencerProcess.ChainId);
            var raw = Convert.FromHexString(wallet.Sign1559(0)[2..]);
            var yearAgo = (ulong)DateTimeOffset.UtcNow.AddDays(-365).ToUnixTimeSeconds();
            Assert.True(Address.TryParse(wallet.Address, out var sender));
            var hash = Keccak.Hash(raw);
            var walDirectory = Path.Combine(directory, "wal");
            Directory.CreateDirectory(walDirectory);
            Exception? failure = null;
            using (var log = new WriteAheadLog(walDirectory, 64L << 20, fsync: true, 0, _ => { }, ex => failure = ex))
            {
                log.Append(new TxLogRecord(0, 1, 0, yearAgo, 0, 21_000, sender, Accumulator.Next(Hash32.Zero, hash)), raw);
                log.Commit();
                Assert.True(SpinWait.SpinUntil(() => log.DurableEndSequence >= 1 || failure is not null, TimeSpan.FromSeconds(30)));
            }

            Assert.Null(failure);

            // The host's default shutdown timeout (30 s): a stop that overruns it ends the process with exit 134.
            await using var host = await SequencerProcess.StartInAsync(directory);
            using (var rpc = new RpcTestClient(host.RpcUrl))
            {
                // The catch-up is under way: blocks beyond the logged one are being sealed.
                Assert.True(await WaitUntilAsync(async () => ParseQuantity(await rpc.ResultAsync("eth_blockNumber")) > 1, TimeSpan.FromSeconds(60)));
            }

            await host.TerminateAsync(TimeSpan.FromSeconds(120));
            Assert.DoesNotContain("Unhandled exception", host.RecentOutput);
            Assert.Equal(0, host.ExitCode);

            await host.RestartAsync();
            using var again = new RpcTestClient(host.RpcUrl);
            var tx = await again.ResultAsync("eth_getTransactionByHash", "0x" + Convert.ToHexStringLower(hash.Bytes));
            Assert.Equal(wallet.Address, tx.GetProperty("from").GetString());
            Assert.Equal("0x1", tx.GetProperty("blockNumber").GetString());
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static ulong ParseQuantity(System.Text.Json.JsonElement quantity) => Convert.ToUInt64(quantity.GetString()![2..], 16);

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
