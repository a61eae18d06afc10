using BenchmarkDotNet.Attributes;
using Sequencer.Transactions;

namespace Sequencer.Benchmarks;

/// <summary>The parallel part of the path of a transaction: decode, validate, recover the sender.</summary>
[MemoryDiagnoser]
public class IntakeBenchmarks
{
    private readonly byte[] _raw = SampleTransactions.Erc20Transfer(7);
    private readonly TransactionIntake _intake = new(new TransactionValidator(new TransactionValidationOptions
    {
        ChainId = SampleTransactions.ChainId,
        MaxEncodedSize = 131_072,
        BlockGasLimit = 30_000_000,
        MinFeePerGasWei = 1_000_000,
    }));

    [Benchmark]
    public bool Decode() => TransactionDecoder.TryDecode(_raw, out _, out _);

    [Benchmark]
    public bool DecodeValidateRecover() => _intake.TryAccept(_raw, TxLane.Paid, out _, out _);
}
