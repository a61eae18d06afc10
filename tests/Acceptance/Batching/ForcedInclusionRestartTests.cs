using System.Text.Json;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;
using TestInfrastructure;
using TestInfrastructure.Ethereum;
using TestInfrastructure.Sequencer;
using Xunit.Abstractions;

namespace Acceptance.Batching;

/// <summary>
/// Forced entries across a crash (docs/l1.md, "The sequencer's side"): the sequencer is killed (SIGKILL) after a
/// forced transaction was sequenced and its journal line is taken away, as if the crash fell between the write-ahead
/// log and the journal. After the restart the entry is judged again, found in the chain by its hash and recorded at
/// the same sequence: not sequenced twice, not lost, and verify agrees.
/// </summary>
public sealed class ForcedInclusionRestartTests(ForcedInclusionFixture l1, ITestOutputHelper output) : IClassFixture<ForcedInclusionFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_forced_transaction_whose_decision_was_lost_in_a_crash_keeps_its_one_sequence_after_the_restart()
    {
        var user = TestWallet.FromSeed(94_000, SequencerProcess.ChainId);
        var raw = user.Sign1559(user.TakeNonce());
        var hash = "0x" + Sha3Keccack.Current.CalculateHash(raw.HexToByteArray()).ToHex();
        var (_, queueIndex) = await l1.ForceIncludeAsync(raw);
        ulong sequence;
        using (var rpc = new RpcTestClient(l1.Sequencer.RpcUrl))
        {
            var confirmation = await Eventually.UntilAsync(async () => await rpc.ResultAsync("sequencer_getSoftConfirmation", hash),
                c => c.ValueKind == JsonValueKind.Object, Timeout, _ => "forced transaction sequenced");
            sequence = SoftConfirmationVerifier.Quantity(confirmation, "sequence");
            await Eventually.UntilAsync(async () => (await JournalAsync()).Count > (int)queueIndex, Timeout, "the decision is journaled");
        }

        await l1.Sequencer.KillAsync();
        Assert.True(await l1.Sequencer.WaitForExitAsync(Timeout));
        var lines = await File.ReadAllLinesAsync(l1.JournalFile);
        await File.WriteAllLinesAsync(l1.JournalFile, lines[..(int)queueIndex]);

        await l1.Sequencer.RestartAsync();
        using var again = new RpcTestClient(l1.Sequencer.RpcUrl);
        var journal = await Eventually.UntilAsync(JournalAsync, j => j.Count > (int)queueIndex, Timeout, j => $"{j.Count} journal lines\n{l1.Sequencer.RecentOutput}");
        var decision = journal[(int)queueIndex];
        Assert.Equal(JsonValueKind.Null, decision.GetProperty("reason").ValueKind);
        Assert.Equal(sequence, decision.GetProperty("sequence").GetUInt64());
        Assert.Equal(sequence, SoftConfirmationVerifier.Quantity(await again.ResultAsync("sequencer_getSoftConfirmation", hash), "sequence"));

        // The user's next nonce follows on: nonce 0 is taken exactly once.
        var next = await again.ResultAsync("sequencer_sendRawTransaction", user.Sign1559(user.TakeNonce()));
        await PublishedChainFixture.WaitUntilPublishedAsync(l1.Anvil.RpcUrl, l1.Inbox, l1.Sequencer, SoftConfirmationVerifier.Quantity(next, "blockNumber"));
        Assert.True(await l1.NextForcedIndexAsync() > queueIndex);
        var (exit, text) = await VerifyTool.RunAsync(l1.VerifyArguments());
        output.WriteLine(text);
        Assert.True(exit == 0, text);
        Assert.Contains("1 included, 0 skipped", text);
    }

    private async Task<List<JsonElement>> JournalAsync() =>
        File.Exists(l1.JournalFile)
            ? (await File.ReadAllLinesAsync(l1.JournalFile)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList()
            : [];
}
