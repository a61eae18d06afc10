using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IO;
using Sequencer.Rpc;

namespace Sequencer.Tests.Rpc;

/// <summary>
/// A processor with a transaction send registered as the real ones are (<see cref="RpcParamsShape.OneString"/>), which
/// answers how its params reached it ("bytes": the write path's reader; "document": the document path) and the hex it
/// decoded, and an ordinary method beside it.
/// </summary>
internal static class WritePathRequests
{
    private static readonly RecyclableMemoryStreamManager Buffers = new();

    public static JsonRpcProcessor Processor(int maxBatchSize = 100) =>
        new(new RpcMethodTable([new SendModule()]), maxBatchSize, 1 << 20, NullLogger<JsonRpcProcessor>.Instance);

    /// <summary>The reply as text ("" when nothing is sent back).</summary>
    public static Task<string> ReplyAsync(string body, int maxBatchSize = 100) => ReplyAsync(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), maxBatchSize);

    public static async Task<string> ReplyAsync(ReadOnlySequence<byte> body, int maxBatchSize = 100)
    {
        using var output = Buffers.GetStream();
        var respond = await Processor(maxBatchSize).ProcessAsync(body, output, new RpcTransport(null), CancellationToken.None);
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Equal(respond, text.Length > 0);
        return text;
    }

    /// <summary>
    /// The same request(s) with an extra member holding an escape at the start of every object: the document path
    /// ignores such a member, and a payload with a backslash never takes the write path's reader.
    /// </summary>
    public static string ThroughDocument(string body) => body.Replace("{\"", "{\"pad\":\"\\u0041\",\"", StringComparison.Ordinal);

    /// <summary><paramref name="body"/> cut into pieces of <paramref name="size"/> bytes, as a pipe may hand it over.</summary>
    public static ReadOnlySequence<byte> InSegments(string body, int size)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var first = new Segment(bytes.AsMemory(0, Math.Min(size, bytes.Length)), 0);
        var last = first;
        for (var at = size; at < bytes.Length; at += size)
        {
            last = last.Append(bytes.AsMemory(at, Math.Min(size, bytes.Length - at)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    private sealed class SendModule : IRpcModule
    {
        public void Register(RpcMethodTable table)
        {
            table.Add("eth_sendRawTransaction", Send, RpcParamsShape.OneString);
            table.Add("eth_chainId", _ => ValueTask.FromResult(RpcResult.String("0x1")));
        }

        private static ValueTask<RpcResult> Send(RpcCall call) =>
            ValueTask.FromResult(RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.GetData(0, "transaction", out var data)) is { } error
                ? (RpcResult)error
                : RpcResult.String((call.Params.IsFromBytes ? "bytes:" : "document:") + Convert.ToHexStringLower(data)));
    }
}
