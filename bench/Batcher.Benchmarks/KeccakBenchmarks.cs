using BenchmarkDotNet.Attributes;
using Nethereum.Util;
using Org.BouncyCastle.Crypto.Digests;

namespace Batcher.Benchmarks;

/// <summary>keccak256 of one encoded batch (~780 KB, the size of a 1.45 MB raw batch after compression): the two managed implementations at hand.</summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 6)]
[MemoryDiagnoser]
public class KeccakBenchmarks
{
    private byte[] _batch = [];

    [GlobalSetup]
    public void Setup()
    {
        _batch = new byte[780_000];
        new Random(1).NextBytes(_batch);
    }

    [Benchmark(Baseline = true)]
    public byte[] Nethereum() => Sha3Keccack.Current.CalculateHash(_batch);

    [Benchmark]
    public byte[] BouncyCastle()
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(_batch);
        var hash = new byte[32];
        digest.DoFinal(hash);
        return hash;
    }
}
