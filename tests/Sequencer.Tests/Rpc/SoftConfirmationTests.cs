using TestInfrastructure;
using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Rpc;

public sealed class SoftConfirmationTests(SequencerHostFixture host) : IClassFixture<SequencerHostFixture>
{
    [Fact]
    public async Task Confirmations_AreSignedBySequencerKey_AndAccumulatorsChain()
    {
        var before = await host.Rpc.ResultAsync("sequencer_getStatus");
        var firstSequence = SoftConfirmationVerifier.Quantity(before.GetProperty("head"), "nextSequence");
        var wallets = Enumerable.Range(100, 4).Select(host.NewWallet).ToArray();
        var sends = new List<Task<JsonElement>>();
        foreach (var wallet in wallets)
        {
            sends.Add(SendSequentiallyAsync(wallet, 6));
        }

        var status = await host.Rpc.ResultAsync("sequencer_getStatus");
        var confirmations = (await Task.WhenAll(sends)).SelectMany(batch => batch.EnumerateArray()).ToList();
        confirmations.Sort((a, b) => SoftConfirmationVerifier.Quantity(a, "sequence").CompareTo(SoftConfirmationVerifier.Quantity(b, "sequence")));

        Assert.Equal(24, confirmations.Count);
        Assert.Equal(SequencerHostFixture.SequencerAddress, status.GetProperty("sequencer").GetString());
        var accumulator = before.GetProperty("head").GetProperty("accumulator").GetString()!;
        for (var i = 0; i < confirmations.Count; i++)
        {
            var confirmation = confirmations[i];
            Assert.Equal(firstSequence + (ulong)i, SoftConfirmationVerifier.Quantity(confirmation, "sequence"));
            Assert.Equal(SequencerHostFixture.SequencerAddress, SoftConfirmationVerifier.RecoverSigner(confirmation, SequencerHostFixture.ChainId));
            Assert.Equal(SequencerHostFixture.SequencerAddress, confirmation.GetProperty("sequencer").GetString());
            accumulator = SoftConfirmationVerifier.NextAccumulator(accumulator, confirmation.GetProperty("txHash").GetString()!);
            Assert.Equal(accumulator, confirmation.GetProperty("accumulator").GetString());

            var stored = await host.Rpc.ResultAsync("sequencer_getSoftConfirmation", confirmation.GetProperty("txHash").GetString());
            Assert.Equal(confirmation.GetRawText(), stored.GetRawText());
        }
    }

    [Fact]
    public async Task AccumulatorChain_StartsAtZero_AndCoversEveryPublishedTransaction()
    {
        var wallet = host.NewWallet(150);
        await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        var last = await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        await WaitForBlockAsync(last.GetProperty("blockNumber").GetString()!);

        var accumulator = "0x" + new string('0', 64);
        var sequence = 0UL;
        var head = SoftConfirmationVerifier.Quantity(last, "blockNumber");
        for (var number = 1UL; number <= head; number++)
        {
            var block = await host.Rpc.ResultAsync("eth_getBlockByNumber", "0x" + number.ToString("x"), false);
            foreach (var hash in block.GetProperty("transactions").EnumerateArray())
            {
                var confirmation = await host.Rpc.ResultAsync("sequencer_getSoftConfirmation", hash.GetString());
                accumulator = SoftConfirmationVerifier.NextAccumulator(accumulator, hash.GetString()!);
                Assert.Equal(sequence++, SoftConfirmationVerifier.Quantity(confirmation, "sequence"));
                Assert.Equal(accumulator, confirmation.GetProperty("accumulator").GetString());
            }

            Assert.Equal(accumulator, block.GetProperty("sequencerAccumulator").GetString());
        }

        Assert.Equal(last.GetProperty("accumulator").GetString(), accumulator);
    }

    [Fact]
    public async Task TamperedConfirmation_RecoversToAnotherAddress()
    {
        var wallet = host.NewWallet(200);
        var confirmation = await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        var tampered = JsonDocument.Parse(confirmation.GetRawText().Replace(
            confirmation.GetProperty("sequence").GetString()!, "0x" + (SoftConfirmationVerifier.Quantity(confirmation, "sequence") + 1).ToString("x"))).RootElement;

        Assert.Equal(SequencerHostFixture.SequencerAddress, SoftConfirmationVerifier.RecoverSigner(confirmation, SequencerHostFixture.ChainId));
        Assert.NotEqual(SequencerHostFixture.SequencerAddress, SoftConfirmationVerifier.RecoverSigner(tampered, SequencerHostFixture.ChainId));
    }

    [Fact]
    public async Task Confirmation_PointsAtItsTransactionInTheSealedBlock()
    {
        var wallet = host.NewWallet(300);
        var confirmation = await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce()));
        var blockNumber = confirmation.GetProperty("blockNumber").GetString();

        var block = await WaitForBlockAsync(blockNumber!);
        var index = (int)SoftConfirmationVerifier.Quantity(confirmation, "index");

        Assert.Equal(confirmation.GetProperty("txHash").GetString(), block.GetProperty("transactions")[index].GetString());
        Assert.Equal(confirmation.GetProperty("timestamp").GetString(), block.GetProperty("timestamp").GetString());
    }

    private async Task<JsonElement> WaitForBlockAsync(string number)
    {
        return await Eventually.UntilAsync(
            () => host.Rpc.ResultAsync("eth_getBlockByNumber", number, false),
            block => block.ValueKind == JsonValueKind.Object,
            TimeSpan.FromSeconds(10),
            _ => $"block {number} was not sealed");
    }

    private async Task<JsonElement> SendSequentiallyAsync(TestWallet wallet, int count)
    {
        var results = new List<JsonElement>();
        for (var i = 0; i < count; i++)
        {
            results.Add(await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(wallet.TakeNonce())));
        }

        return JsonSerializer.SerializeToElement(results);
    }
}
