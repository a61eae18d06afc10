using System.Text;
using System.Text.Json;
using Primitives;
using Primitives.Chain;

namespace Sequencer.ForcedInclusion;

/// <summary>
/// The sequencer's record of every forced-queue entry it has judged (<c>forced-inclusion.jsonl</c> in the data
/// directory), in queue order, one JSON line each, fsynced before the batcher may see it. What it holds survives a
/// restart; an entry judged but not yet written is judged again after one, and that is safe: an included transaction
/// is found again by its hash (never sequenced twice), and a skip nobody has seen can be decided anew.
/// </summary>
internal sealed class ForcedInclusionJournal : IForcedInclusionSource, IDisposable
{
    public const string FileName = "forced-inclusion.jsonl";

    private readonly object _gate = new();
    private readonly List<ForcedInclusionDecision> _decisions = [];
    private readonly List<ForcedDecisionLine> _lines = [];
    private readonly FileStream _file;
    private TaskCompletionSource? _judging;

    /// <summary>Opens (or creates) the journal; a torn last line (a crash mid-write) is cut.</summary>
    public ForcedInclusionJournal(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        Load();
    }

    /// <summary>Entries judged so far: the next one to judge has this queue index.</summary>
    public ulong Count
    {
        get
        {
            lock (_gate)
            {
                return (ulong)_decisions.Count;
            }
        }
    }

    /// <summary>The judged entries' lines (for status and tests), in queue order.</summary>
    public IReadOnlyList<ForcedDecisionLine> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }
    }

    /// <summary>The last judged position (0 when none): the next decision's position is at least this.</summary>
    public ulong LastPosition
    {
        get
        {
            lock (_gate)
            {
                return _decisions.Count == 0 ? 0 : _decisions[^1].Position;
            }
        }
    }

    /// <summary>Marks an entry as being judged: the batcher waits for it before it states what a batch consumes.</summary>
    public void BeginJudging()
    {
        lock (_gate)
        {
            _judging ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Ends a judgement without a decision (shutdown, L1 unreachable): the entry is judged again later.</summary>
    public void AbandonJudging() => ReleaseJudging();

    /// <summary>Writes one decision (the next queue index) and makes it durable, then lets the batcher see it.</summary>
    public void Append(ForcedDecisionLine line)
    {
        lock (_gate)
        {
            if (line.QueueIndex != (ulong)_decisions.Count)
            {
                throw new InvalidOperationException($"forced entry {line.QueueIndex} judged out of order: the journal expects entry {_decisions.Count}");
            }

            var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(line, ForcedDecisionJson.Default.ForcedDecisionLine) + "\n");
            _file.Seek(0, SeekOrigin.End);
            _file.Write(bytes);
            _file.Flush(flushToDisk: true);
            _decisions.Add(ToDecision(line));
            _lines.Add(line);
        }

        ReleaseJudging();
    }

    public async ValueTask<IReadOnlyList<ForcedInclusionDecision>> DecidedBeforeAsync(ulong endSequence, CancellationToken cancellationToken)
    {
        Task? judging;
        lock (_gate)
        {
            judging = _judging?.Task;
        }

        if (judging is not null)
        {
            await judging.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        lock (_gate)
        {
            var count = 0;
            while (count < _decisions.Count && _decisions[count].Position < endSequence)
            {
                count++;
            }

            return _decisions.GetRange(0, count);
        }
    }

    public IReadOnlyList<ForcedInclusionDecision> Decided(ulong from, ulong through)
    {
        lock (_gate)
        {
            if (through < from || through > (ulong)_decisions.Count)
            {
                throw new InvalidOperationException($"forced entries {from} to {through} are not all judged ({_decisions.Count} are)");
            }

            return _decisions.GetRange((int)from, (int)(through - from));
        }
    }

    public void Dispose() => _file.Dispose();

    private void ReleaseJudging()
    {
        TaskCompletionSource? judging;
        lock (_gate)
        {
            judging = _judging;
            _judging = null;
        }

        judging?.TrySetResult();
    }

    private void Load()
    {
        using var reader = new StreamReader(_file, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        long kept = 0;
        while (reader.ReadLine() is { } text)
        {
            ForcedDecisionLine? line;
            try
            {
                line = JsonSerializer.Deserialize(text, ForcedDecisionJson.Default.ForcedDecisionLine);
            }
            catch (JsonException)
            {
                line = null;
            }

            if (line is null || line.QueueIndex != (ulong)_decisions.Count)
            {
                // Only the last line can be torn (every line is fsynced before the next is written).
                break;
            }

            _decisions.Add(ToDecision(line));
            _lines.Add(line);
            kept += Encoding.UTF8.GetByteCount(text) + 1;
        }

        if (kept < _file.Length)
        {
            _file.SetLength(kept);
            _file.Flush(flushToDisk: true);
        }
    }

    private static ForcedInclusionDecision ToDecision(ForcedDecisionLine line) =>
        new(line.QueueIndex, Hash32.TryParse(line.TxHash, out var hash) ? hash : throw new InvalidDataException($"forced entry {line.QueueIndex}: bad txHash"),
            line.Position, line.Outcome, line.Sequence);
}
