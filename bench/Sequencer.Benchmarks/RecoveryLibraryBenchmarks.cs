using BenchmarkDotNet.Attributes;
using NBitcoin.Secp256k1;
using Nethereum.Signer;
using Primitives.Crypto;

namespace Sequencer.Benchmarks;

/// <summary>
/// Public-key recovery, the most expensive step of the intake, in the three libraries a .NET
/// Ethereum server can use: native libsecp256k1 (Secp256k1.Net), NBitcoin's managed port, and
/// Nethereum's BouncyCastle path.
/// </summary>
public class RecoveryLibraryBenchmarks
{
    private readonly byte[] _digest = System.Security.Cryptography.SHA256.HashData("benchmark"u8);
    private byte[] _compact = [];
    private byte _recoveryId;
    private EthECDSASignature _nethereumSignature = null!;

    [GlobalSetup]
    public void Setup()
    {
        _nethereumSignature = SampleTransactions.Key.SignAndCalculateV(_digest);
        _compact = [.. _nethereumSignature.R.PadLeft(32), .. _nethereumSignature.S.PadLeft(32)];
        _recoveryId = (byte)(_nethereumSignature.V[0] - 27);
    }

    [Benchmark(Baseline = true)]
    public bool Secp256k1Net() => Secp256k1Recovery.TryRecover(_digest, _compact, _recoveryId, out _);

    [Benchmark]
    public bool NBitcoinSecp256k1()
    {
        return SecpRecoverableECDSASignature.TryCreateFromCompact(_compact, _recoveryId, out var signature)
            && ECPubKey.TryRecover(Context.Instance, signature, _digest, out _);
    }

    [Benchmark]
    public string NethereumBouncyCastle() => EthECKey.RecoverFromSignature(_nethereumSignature, _digest).GetPublicAddress();
}

internal static class PaddingExtensions
{
    public static byte[] PadLeft(this byte[] value, int length)
    {
        if (value.Length >= length)
        {
            return value;
        }

        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }
}
