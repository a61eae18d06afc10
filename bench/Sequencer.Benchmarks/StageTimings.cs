using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IO;
using Primitives;
using Sequencer.Chain;
using Sequencer.Rpc;
using Sequencer.Sequencing;
using Sequencer.Transactions;

namespace Sequencer.Benchmarks;

/// <summary>
/// One thread's cost per transaction of each stage a sequencer runs before and after the core, timed in the same run as
/// <see cref="CoreCeiling"/> (docs/scaling.md): JSON-RPC framing of a sendRawTransaction body (parse, dispatch, reply
/// into a pooled buffer; the method itself a stub), hex and RLP decoding, decode + validate + recover the sender, and
/// the soft confirmation's digest and signature. Process CPU time per repetition, averaged over many after a warm-up.
/// </summary>
internal static class StageTimings
{
    public static async Task<List<(string Stage, double Microseconds)>> MeasureAsync(IReadOnlyList<SequencedTransaction> sequenced, SoftConfirmationSigner signer)
    {
        var raw = SampleTransactions.Erc20Transfer(7);
        var body = Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sequencer_sendRawTransaction\",\"params\":[\"0x{Convert.ToHexStringLower(raw)}\"]}}");
        var intake = new TransactionIntake(new TransactionValidator(new TransactionValidationOptions
        {
            ChainId = SampleTransactions.ChainId,
            MaxEncodedSize = 131_072,
            BlockGasLimit = 30_000_000,
            MinFeePerGasWei = 1_000_000,
        }));
        var processor = new JsonRpcProcessor(new RpcMethodTable([new StubModule()]), 100, 1 << 20, NullLogger<JsonRpcProcessor>.Instance);
        var buffers = new RecyclableMemoryStreamManager();
        var payload = new ReadOnlySequence<byte>(body);
        var transport = new RpcTransport(null);
        var k = 0;

        var framing = await TimeAsync(200_000, async () =>
        {
            using var output = buffers.GetStream("stage");
            await processor.ProcessAsync(payload, output, transport, CancellationToken.None).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return
        [
            ("JSON-RPC framing (parse body, dispatch, write reply)", framing),
            ("hex of the raw transaction (params string to bytes)", Time(20_000, () => Hex.TryDecodeUtf8(body.AsSpan(body.Length - raw.Length * 2 - 4, raw.Length * 2 + 2)))),
            ("RLP decode", Time(20_000, () => TransactionDecoder.TryDecode(raw, out _, out _))),
            ("decode + validate + recover sender", Time(5_000, () => intake.TryAccept(raw, TxLane.Paid, out _, out _))),
            ("confirmation digest + signature", Time(Math.Min(5_000, sequenced.Count), () => signer.Sign(sequenced[k++ % sequenced.Count]))),
        ];
    }

    private static async Task<double> TimeAsync(int count, Func<Task> stage)
    {
        for (var i = 0; i < Math.Min(count, 1_000); i++)
        {
            await stage().ConfigureAwait(false);
        }

        var cpu = ProcessCpuMicroseconds();
        for (var i = 0; i < count; i++)
        {
            await stage().ConfigureAwait(false);
        }

        return (ProcessCpuMicroseconds() - cpu) / count;
    }

    // CPU time, not wall time: on a shared machine a stage's wall time is mostly waiting for a core. The process is
    // otherwise idle here (the core runs are over), so its CPU is this loop's (plus a little GC).
    private static double ProcessCpuMicroseconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalMicroseconds;
    }

    private static double Time(int count, Action stage)
    {
        for (var i = 0; i < Math.Min(count, 1_000); i++)
        {
            stage();
        }

        var cpu = ProcessCpuMicroseconds();
        for (var i = 0; i < count; i++)
        {
            stage();
        }

        return (ProcessCpuMicroseconds() - cpu) / count;
    }

    public static string Format(string stage, double microseconds) =>
        string.Create(CultureInfo.InvariantCulture, $"[stage] {stage}: {microseconds:F2} µs CPU per transaction (one thread)");

    /// <summary>Answers sendRawTransaction with a fixed string: the framing's cost without the method's.</summary>
    private sealed class StubModule : IRpcModule
    {
        // Registered as the real send is (one string param), so the body takes the write path's reader, not the document.
        public void Register(RpcMethodTable table) =>
            table.Add("sequencer_sendRawTransaction", _ => ValueTask.FromResult(RpcResult.String("0x01")), RpcParamsShape.OneString);
    }
}
