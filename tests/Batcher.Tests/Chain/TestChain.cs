using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;
using Primitives.Chain;
using TestInfrastructure.Ethereum;

namespace Batcher.Tests.Chain;

/// <summary>
/// Builds sealed blocks the way the sequencer does (sequence from 0, keccak accumulator chain),
/// from transactions signed with Nethereum, and keeps them as an <see cref="ISealedBlockSource"/>.
/// </summary>
public sealed class TestChain : ISealedBlockSource
{
    public const ulong ChainId = 424242;

    private readonly List<SealedBlock> _blocks = [];
    private readonly List<TestWallet> _wallets;
    private readonly Lock _lock = new();
    private TaskCompletionSource _sealed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _accumulator = new byte[32];
    private byte[] _hash = new byte[32];
    private ulong _sequence;

    public TestChain(int walletCount = 8)
    {
        _wallets = Enumerable.Range(0, walletCount).Select(i => TestWallet.FromSeed(100 + i, ChainId)).ToList();
    }

    public ulong LatestSealedNumber
    {
        get
        {
            lock (_lock)
            {
                return (ulong)_blocks.Count;
            }
        }
    }

    /// <summary>Every transaction sealed so far, with what its soft confirmation says.</summary>
    public List<ConfirmedTransaction> Confirmed { get; } = [];

    public static byte[] NextAccumulator(byte[] accumulator, byte[] txHash) =>
        Sha3Keccack.Current.CalculateHash(accumulator.Concat(txHash).ToArray());

    /// <summary>Seals one block with <paramref name="transactionCount"/> transfers and ERC-20 calls from the test wallets.</summary>
    public SealedBlock SealBlock(int transactionCount)
    {
        var raws = new List<ReadOnlyMemory<byte>>();
        for (var i = 0; i < transactionCount; i++)
        {
            var wallet = _wallets[(int)((_sequence + (ulong)i) % (ulong)_wallets.Count)];
            var raw = i % 2 == 0
                ? wallet.Sign1559(wallet.TakeNonce())
                : wallet.Sign1559(wallet.TakeNonce(), to: "0x00000000000000000000000000000000000c0ffe", value: 0, gas: 52_000,
                    data: "a9059cbb" + wallet.Address[2..].PadLeft(64, '0') + (1000 + i).ToString("x").PadLeft(64, '0'));
            raws.Add(raw.HexToByteArray());
        }

        return Seal(raws);
    }

    public SealedBlock Seal(IReadOnlyList<ReadOnlyMemory<byte>> raws)
    {
        lock (_lock)
        {
            var number = (ulong)_blocks.Count + 1;
            var timestamp = 1_760_000_000 + number;
            var first = _sequence;
            for (var i = 0; i < raws.Count; i++)
            {
                var txHash = Sha3Keccack.Current.CalculateHash(raws[i].ToArray());
                _accumulator = NextAccumulator(_accumulator, txHash);
                Confirmed.Add(new ConfirmedTransaction(txHash, _sequence, number, (uint)i, timestamp, _accumulator));
                _sequence++;
            }

            var parent = _hash;
            _hash = Sha3Keccack.Current.CalculateHash(parent.Concat(BitConverter.GetBytes(number)).ToArray());
            var block = new SealedBlock(number, timestamp, parent, _hash, first, _accumulator, raws.ToArray());
            _blocks.Add(block);
            var signal = _sealed;
            _sealed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal.TrySetResult();
            return block;
        }
    }

    public SealedBlock? GetSealedBlock(ulong number)
    {
        lock (_lock)
        {
            return number >= 1 && number <= (ulong)_blocks.Count ? _blocks[(int)number - 1] : null;
        }
    }

    public async ValueTask WaitForSealedBlockAsync(ulong number, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            lock (_lock)
            {
                if ((ulong)_blocks.Count >= number)
                {
                    return;
                }

                signal = _sealed.Task;
            }

            await signal.WaitAsync(cancellationToken);
        }
    }
}

/// <summary>The fields of a soft confirmation that the published chain must agree with.</summary>
public sealed record ConfirmedTransaction(byte[] TxHash, ulong Sequence, ulong BlockNumber, uint Index, ulong Timestamp, byte[] Accumulator);
