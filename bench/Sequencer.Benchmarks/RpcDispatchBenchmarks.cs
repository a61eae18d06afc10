using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IO;
using Primitives;
using Sequencer.Options;
using Sequencer.Rpc;

namespace Sequencer.Benchmarks;

/// <summary>
/// The JSON-RPC processor on request bytes already in memory (no HTTP, no socket): parse, check the envelope,
/// look the method up, call it and write the reply into a pooled buffer, as the HTTP endpoint does.
/// </summary>
/// <remarks>
/// The method table holds eth_chainId registered the way EthRpcModule registers it (a constant string), so what is
/// measured is the processor, not a method: the real module needs the whole core behind it.
/// </remarks>
[MemoryDiagnoser]
public class RpcDispatchBenchmarks
{
    private static readonly RpcOptions Defaults = new();

    private readonly RecyclableMemoryStreamManager _buffers = ReplyBuffers.Create();
    private readonly RpcTransport _transport = new(null);
    private JsonRpcProcessor _processor = null!;
    private ReadOnlySequence<byte> _chainId;
    private ReadOnlySequence<byte> _batchOf10;
    private ReadOnlySequence<byte> _parseError;
    private ReadOnlySequence<byte> _unknownMethod;
    private ReadOnlySequence<byte> _sendRaw;
    private ReadOnlySequence<byte> _sendRawBatchOf10;
    private ReadOnlySequence<byte> _sendRawLater;

    [GlobalSetup]
    public void Setup()
    {
        var table = new RpcMethodTable([new ChainIdModule(Hex.EncodeQuantity(SampleTransactions.ChainId)), new SendRawModule()]);
        _processor = new JsonRpcProcessor(table, Defaults.MaxBatchSize, Defaults.MaxResponseBytes, NullLogger<JsonRpcProcessor>.Instance);

        const string call = """{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}""";
        _chainId = Bytes(call);
        _batchOf10 = Bytes("[" + string.Join(',', Enumerable.Range(1, 10).Select(i => call.Replace("\"id\":1", $"\"id\":{i}", StringComparison.Ordinal))) + "]");
        _parseError = Bytes("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[""");
        var send = $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x{Convert.ToHexStringLower(SampleTransactions.Erc20Transfer(7))}\"]}}";
        _sendRaw = Bytes(send);
        _sendRawLater = Bytes(send.Replace("eth_sendRawTransaction", "sequencer_sendRawTransaction", StringComparison.Ordinal));
        _sendRawBatchOf10 = Bytes("[" + string.Join(',', Enumerable.Range(1, 10).Select(i => send.Replace("\"id\":1", $"\"id\":{i}", StringComparison.Ordinal))) + "]");
        _unknownMethod = Bytes("""{"jsonrpc":"2.0","id":1,"method":"eth_notAMethod","params":[]}""");
    }

    [Benchmark(Baseline = true)]
    public ValueTask<long> ChainId() => ProcessAsync(_chainId);

    [Benchmark]
    public ValueTask<long> BatchOf10ChainId() => ProcessAsync(_batchOf10);

    [Benchmark]
    public ValueTask<long> ParseError() => ProcessAsync(_parseError);

    [Benchmark]
    public ValueTask<long> UnknownMethod() => ProcessAsync(_unknownMethod);

    /// <summary>The write path's framing: a signed ERC-20 transfer's hex read and decoded, a hash-sized string back.</summary>
    [Benchmark]
    public ValueTask<long> SendRawTransaction() => ProcessAsync(_sendRaw);

    /// <summary>
    /// As <see cref="SendRawTransaction"/>, but the method completes later, as the real one does (it waits for the
    /// core): what the processor's own async frames cost per transaction shows here, not in the synchronous cases.
    /// </summary>
    [Benchmark]
    public ValueTask<long> SendRawTransactionCompletingLater() => ProcessAsync(_sendRawLater);

    [Benchmark]
    public ValueTask<long> BatchOf10SendRawTransaction() => ProcessAsync(_sendRawBatchOf10);

    private static ReadOnlySequence<byte> Bytes(string json) => new(Encoding.UTF8.GetBytes(json));

    /// <summary>Returns the reply's length, so that the work cannot be dropped.</summary>
    private async ValueTask<long> ProcessAsync(ReadOnlySequence<byte> request)
    {
        using var reply = _buffers.GetStream("benchmark-reply");
        await _processor.ProcessAsync(request, reply, _transport, CancellationToken.None).ConfigureAwait(false);
        return reply.Length;
    }

    /// <summary>eth_chainId as EthRpcModule registers it.</summary>
    private sealed class ChainIdModule(string chainIdHex) : IRpcModule
    {
        public void Register(RpcMethodTable table) => table.Add("eth_chainId", _ => ValueTask.FromResult(RpcResult.String(chainIdHex)));
    }

    /// <summary>
    /// eth_sendRawTransaction's params handling as EthRpcModule does it (at most one param, its hex decoded; registered
    /// as OneString, so the write path's reader takes it), with a constant transaction hash instead of the core behind it.
    /// </summary>
    private sealed class SendRawModule : IRpcModule
    {
        private static readonly string Hash = "0x" + new string('a', 64);

        public void Register(RpcMethodTable table)
        {
            table.Add("eth_sendRawTransaction", call => ValueTask.FromResult(Send(call)), RpcParamsShape.OneString);
            table.Add("sequencer_sendRawTransaction", SendLaterAsync, RpcParamsShape.OneString);
        }

        private static RpcResult Send(RpcCall call) =>
            RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.GetData(0, "transaction", out var raw)) is { } error
                ? error
                : RpcResult.String(raw.Length > 0 ? Hash : string.Empty);

        // Task.Yield queues the rest on the thread pool without allocating, so what is measured is the frames.
        private static async ValueTask<RpcResult> SendLaterAsync(RpcCall call)
        {
            var result = Send(call);
            await Task.Yield();
            return result;
        }
    }
}
