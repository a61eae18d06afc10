using System.Net;
using System.Text;
using System.Text.Json;
using Sequencer.Tests.Infrastructure;
using TestInfrastructure.Ethereum;
using TestInfrastructure;

namespace Sequencer.Tests.Rpc;

/// <summary>A short nonce-gap wait keeps the "nonce too high" case quick.</summary>
public sealed class BadInputHostFixture : SequencerHostFixture
{
    // No empty blocks: the snapshot compares the head before and after each bad request, and an idle chain's head advances.
    protected override IEnumerable<string> Settings => ["--Sequencer:NonceHold:WaitMs=150", "--Sequencer:EmptyBlockIntervalMs=0"];
}

/// <summary>Every kind of bad input gets its JSON-RPC code and a specific message, never HTTP 500, and changes nothing.</summary>
public sealed class BadInputTests(BadInputHostFixture host) : IClassFixture<BadInputHostFixture>
{
    private static readonly TestWallet Wallet = TestWallet.FromSeed(4242, SequencerHostFixture.ChainId);
    private static readonly TestWallet Other = TestWallet.FromSeed(4243, SequencerHostFixture.ChainId);

    /// <summary>name, request body, expected HTTP status, expected code, expected message fragment.</summary>
    public static TheoryData<string, string, int, int, string> Cases => new()
    {
        { "malformed JSON", "{\"jsonrpc\":\"2.0\",\"id\":1,", 200, -32700, "parse error: unexpected end of input at line 1, byte 23" },
        { "not JSON at all", "hello", 200, -32700, "parse error: invalid JSON at line 1, byte 0: 'h' is an invalid start of a value" },
        { "a stray character", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[}", 200, -32700, "'}' is an invalid start of a value" },
        { "scalar body", "42", 200, -32600, "expected a JSON object or an array" },
        { "params is a string", Call("eth_blockNumber", "\"x\""), 200, -32600, "\"params\" must be an array or an object" },
        { "id is an object", "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"eth_chainId\"}", 200, -32600, "id must be a string, a number or null" },
        { "missing jsonrpc", "{\"id\":1,\"method\":\"eth_chainId\"}", 200, -32600, "\"jsonrpc\" must be \"2.0\"" },
        { "method is a number", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", 200, -32600, "\"method\" must be a string" },
        { "block number of the wrong type", Call("eth_getBlockByNumber", "[123,false]"), 200, -32602, "block must be a block number" },
        { "full flag of the wrong type", Call("eth_getBlockByNumber", "[\"latest\",\"yes\"]"), 200, -32602, "must be true or false" },
        { "transaction of the wrong type", Call("eth_sendRawTransaction", "[123]"), 200, -32602, "transaction must be a hex string" },
        { "transaction not hex", Call("eth_sendRawTransaction", "[\"0xzz\"]"), 200, -32602, "not valid hex" },
        { "transaction of odd length", Send("0x012"), 200, -32602, "transaction is not valid hex (odd length" },
        { "transaction without 0x", Send("f86b01"), 200, -32602, "transaction must start with 0x" },
        { "transaction, escaped, not hex", Send("\\u0030x0g"), 200, -32602, "transaction is not valid hex" },
        { "sequencer transaction not hex", Call("sequencer_sendRawTransaction", "[\"0x0g\"]"), 200, -32602, "transaction is not valid hex" },
        { "missing parameter", Call("eth_getTransactionByHash", "[]"), 200, -32602, "missing parameter 1" },
        { "too many parameters", Call("sequencer_getSoftConfirmation", "[\"0x" + new string('1', 64) + "\",1]"), 200, -32602, "at most 1 parameter" },
        { "empty batch", "[]", 200, -32600, "empty batch" },
        { "huge batch", "[" + string.Join(',', Enumerable.Repeat(Call("eth_chainId", "[]"), 101)) + "]", 200, -32600, "batch of 101 requests exceeds the limit of 100" },
        { "oversized body", Call("eth_sendRawTransaction", "[\"0x" + new string('a', 1_100_000) + "\"]"), 413, -32600, "request body too large" },
        { "unknown method", Call("eth_doesNotExist", "[]"), 200, -32601, "method not found: eth_doesNotExist" },
        { "subscription over HTTP", Call("eth_subscribe", "[\"newHeads\"]"), 200, -32601, "only available over WebSocket" },
        { "bad RLP", Send("0xf86b01"), 200, -32000, "invalid transaction: RLP" },
        { "unsupported type", Send("0x03c0"), 200, -32000, "transaction type not supported: 0x03" },
        { "bad signature", Send(TransactionForgery.WithZeroR(Other.Sign1559(0))), 200, -32000, "invalid signature: r is zero" },
        { "high-s signature", Send(TransactionForgery.WithHighS(Other.Sign1559(0))), 200, -32000, "upper half of the curve order" },
        { "wrong chain id", Send(Other.Sign1559(0, chainId: 1)), 200, -32000, "invalid chain id for signer: have 1, want 424242" },
        { "gas limit too high", Send(Other.Sign1559(0, gas: 30_000_001)), 200, -32000, "exceeds block gas limit: gas limit 30000001, block gas limit 30000000" },
        { "intrinsic gas too low", Send(Other.Sign1559(0, gas: 20_000)), 200, -32000, "intrinsic gas too low: gas 20000, minimum needed 21000" },
        { "fee too low", Send(Other.Sign1559(0, maxFeePerGas: 10, maxPriorityFeePerGas: 1)), 200, -32000, "max fee per gas less than block base fee: maxFeePerGas: 10, baseFee: 1000000" },
        { "zero fee on the paid lane", Send(Other.Sign1559(0, maxFeePerGas: 0, maxPriorityFeePerGas: 0)), 200, -32003, "only accepted on the sponsored lane" },
        { "nonce too low", Send(Wallet.Sign1559(0, value: 999)), 200, -32000, "nonce too low: next nonce for " + Wallet.Address + " is 1, got 0" },
        { "nonce too high", Send(Wallet.Sign1559(7)), 200, -32000, "nonce too high: expected 1, got 7" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_GetsSpecificError_AndChangesNothing(string name, string body, int httpStatus, int code, string message)
    {
        await EnsureWalletHasOneConfirmedTransactionAsync();
        var before = await SnapshotAsync();

        var (status, responseBody) = await host.Rpc.PostAsync(body);

        Assert.True((int)status == httpStatus, $"{name}: HTTP {(int)status}, body {Shorten(responseBody)}");
        var response = JsonDocument.Parse(responseBody).RootElement;
        var error = response.ValueKind == JsonValueKind.Array ? response[0].GetProperty("error") : response.GetProperty("error");
        Assert.True(error.GetProperty("code").GetInt32() == code, $"{name}: {error.GetRawText()}");
        Assert.Contains(message, error.GetProperty("message").GetString());
        // No .NET wording in what a client sees.
        Assert.DoesNotMatch("LineNumber|BytePositionInLine|System\\.|Exception", error.GetProperty("message").GetString()!);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task NoBadInput_EverProducesHttp500()
    {
        var bodies = new[] { "", "null", "[null]", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBlockByHash\",\"params\":[null,true]}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x\"]}" };
        foreach (var body in bodies)
        {
            var (status, _) = await host.Rpc.PostAsync(body);
            Assert.NotEqual(HttpStatusCode.InternalServerError, status);
        }
    }

    private async Task EnsureWalletHasOneConfirmedTransactionAsync()
    {
        var count = await host.Rpc.ResultAsync("eth_getTransactionCount", Wallet.Address, "pending");
        if (count.GetString() == "0x0")
        {
            await host.Rpc.ResultAsync("eth_sendRawTransaction", Wallet.Sign1559(0));
        }

        // Blocks seal on a timer: wait until the setup transaction's block is published so the snapshot is stable.
        await Eventually.UntilAsync(
            async () => (await host.Rpc.ResultAsync("eth_getTransactionCount", Wallet.Address, "latest")).GetString() != "0x0",
            TimeSpan.FromSeconds(30), "the setup transaction's block was not published");
    }

    private async Task<string> SnapshotAsync()
    {
        var status = await host.Rpc.ResultAsync("sequencer_getStatus");
        var head = status.GetProperty("head").GetRawText();
        var nonceWallet = (await host.Rpc.ResultAsync("eth_getTransactionCount", Wallet.Address, "pending")).GetString();
        var nonceOther = (await host.Rpc.ResultAsync("eth_getTransactionCount", Other.Address, "pending")).GetString();
        var pending = (await host.Rpc.ResultAsync("eth_getBlockByNumber", "pending", false)).GetProperty("transactions").GetArrayLength();
        return $"{head}|{nonceWallet}|{nonceOther}|{pending}|{status.GetProperty("queue").GetProperty("nonceHeld").GetInt32()}";
    }

    private static string Call(string method, string parameters) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{parameters}}}";

    private static string Send(string raw) => Call("eth_sendRawTransaction", $"[\"{raw}\"]");

    private static string Shorten(string text) => text.Length < 300 ? text : text[..300];
}
