using Primitives.Chain;

namespace Sequencer.Tests.Execution;

/// <summary>Sealed blocks a test appends by hand (the follower's input without a sequencer).</summary>
public sealed class InMemorySealedBlocks : ISealedBlockSource
{
    private readonly List<SealedBlock> _blocks = [new SealedBlock(0, 0, new byte[32], new byte[32], 0, new byte[32], [])];
    private readonly Lock _lock = new();
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ulong LatestSealedNumber
    {
        get
        {
            lock (_lock)
            {
                return (ulong)_blocks.Count - 1;
            }
        }
    }

    /// <summary>Appends a block of random "transactions" with the given timestamp.</summary>
    public SealedBlock Add(ulong timestamp, int transactions)
    {
        lock (_lock)
        {
            var raws = Enumerable.Range(0, transactions).Select(_ => (ReadOnlyMemory<byte>)Random.Shared.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 40)).ToArray();
            var block = new SealedBlock((ulong)_blocks.Count, timestamp, new byte[32], new byte[32], 0, new byte[32], raws);
            _blocks.Add(block);
            var added = _added;
            _added = new(TaskCreationOptions.RunContinuationsAsynchronously);
            added.TrySetResult();
            return block;
        }
    }

    public SealedBlock? GetSealedBlock(ulong number)
    {
        lock (_lock)
        {
            return number < (ulong)_blocks.Count ? _blocks[(int)number] : null;
        }
    }

    public async ValueTask WaitForSealedBlockAsync(ulong number, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task added;
            lock (_lock)
            {
                if (number < (ulong)_blocks.Count)
                {
                    return;
                }

                added = _added.Task;
            }

            await added.WaitAsync(cancellationToken);
        }
    }
}
