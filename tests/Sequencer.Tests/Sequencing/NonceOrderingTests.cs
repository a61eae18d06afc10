using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Ethereum;

namespace Sequencer.Tests.Sequencing;

public sealed class NonceOrderingTests(SequencerHostFixture host) : IClassFixture<SequencerHostFixture>
{
    [Fact]
    public async Task FutureNonce_Waits_ThenIsConfirmedRightAfterTheGapFills()
    {
        var wallet = host.NewWallet(500);
        var later = host.Rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(2));
        var middle = host.Rpc.CallAsync("sequencer_sendRawTransaction", wallet.Sign1559(1));
        await WaitForHeldAsync(2);

        var first = await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(0));
        var secondResponse = await middle;
        var thirdResponse = await later;

        Assert.Null(secondResponse.Error);
        Assert.Null(thirdResponse.Error);
        var s0 = SoftConfirmationVerifier.Quantity(first, "sequence");
        Assert.Equal(s0 + 1, SoftConfirmationVerifier.Quantity(secondResponse.Result, "sequence"));
        Assert.Equal(s0 + 2, SoftConfirmationVerifier.Quantity(thirdResponse.Result, "sequence"));
    }

    [Fact]
    public async Task FutureNonce_IsRejectedWithTheExpectedNonce_WhenTheGapStaysOpen()
    {
        var wallet = host.NewWallet(501);
        await host.Rpc.ResultAsync("eth_sendRawTransaction", wallet.Sign1559(0));

        var response = await host.Rpc.CallAsync("eth_sendRawTransaction", wallet.Sign1559(3));

        Assert.Equal(-32000, response.ErrorCode);
        Assert.Equal("nonce too high: expected 1, got 3 (the gap was not filled within 1000 ms)", response.ErrorMessage);
        Assert.Equal("0x1", (await host.Rpc.ResultAsync("eth_getTransactionCount", wallet.Address, "pending")).GetString());
    }

    [Fact]
    public async Task ResentTransaction_GetsTheSameConfirmation_NeverASecondSequence()
    {
        var wallet = host.NewWallet(502);
        var raw = wallet.Sign1559(0);

        var sends = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.Rpc.ResultAsync("sequencer_sendRawTransaction", raw)));
        var again = await host.Rpc.ResultAsync("sequencer_sendRawTransaction", raw);

        Assert.All(sends, s => Assert.Equal(sends[0].GetRawText(), s.GetRawText()));
        Assert.Equal(sends[0].GetRawText(), again.GetRawText());
        Assert.Equal("0x1", (await host.Rpc.ResultAsync("eth_getTransactionCount", wallet.Address, "pending")).GetString());
    }

    [Fact]
    public async Task ResentFutureTransaction_WaitsWithTheFirst_AndGetsTheSameConfirmation()
    {
        var wallet = host.NewWallet(503);
        var future = wallet.Sign1559(1);
        var a = host.Rpc.CallAsync("sequencer_sendRawTransaction", future);
        var b = host.Rpc.CallAsync("sequencer_sendRawTransaction", future);
        await WaitForHeldAsync(1);

        await host.Rpc.ResultAsync("sequencer_sendRawTransaction", wallet.Sign1559(0));

        Assert.Equal((await a).Result.GetRawText(), (await b).Result.GetRawText());
    }

    [Fact]
    public async Task DifferentTransactionWithAUsedNonce_IsNonceTooLow()
    {
        var wallet = host.NewWallet(504);
        await host.Rpc.ResultAsync("eth_sendRawTransaction", wallet.Sign1559(0, value: 1));

        var response = await host.Rpc.CallAsync("eth_sendRawTransaction", wallet.Sign1559(0, value: 2));

        Assert.Equal(-32000, response.ErrorCode);
        Assert.Equal($"nonce too low: next nonce for {wallet.Address} is 1, got 0", response.ErrorMessage);
    }

    private Task WaitForHeldAsync(int atLeast) =>
        TestInfrastructure.Eventually.UntilAsync(
            async () => (await host.Rpc.ResultAsync("sequencer_getStatus")).GetProperty("queue").GetProperty("nonceHeld").GetInt32() >= atLeast,
            TimeSpan.FromSeconds(30), "the future-nonce transactions being held");
}
