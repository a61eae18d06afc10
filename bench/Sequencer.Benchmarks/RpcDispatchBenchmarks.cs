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

    [GlobalSetup]
    public void Setup()
    {
        var table = new RpcMethodTable([new ChainIdModule(Hex.EncodeQuantity(SampleTransactions.ChainId))]);
        _processor = new JsonRpcProcessor(table, Defaults.MaxBatchSize, Defaults.MaxResponseBytes, NullLogger<JsonRpcProcessor>.Instance);

        const string call = """{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}""";
        _chainId = Bytes(call);
        _batchOf10 = Bytes("[" + string.Join(',', Enumerable.Range(1, 10).Select(i => call.Replace("\"id\":1", $"\"id\":{i}", StringComparison.Ordinal))) + "]");
        _parseError = Bytes("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[""");
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
}
