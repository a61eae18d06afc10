namespace Sequencer.Sequencing;

/// <summary>A transaction waiting for its nonce gap, plus identical re-sends waiting on the same outcome.</summary>
internal sealed class HeldTransaction(SequencingRequest request, long deadline)
{
    private List<SequencingRequest>? _duplicates;

    public SequencingRequest Request { get; } = request;

    /// <summary>When it stops waiting, as a timestamp of the <see cref="NonceBook"/>'s <see cref="TimeProvider"/>.</summary>
    public long Deadline { get; } = deadline;

    public bool Released { get; set; }

    public IReadOnlyList<SequencingRequest> Duplicates => (IReadOnlyList<SequencingRequest>?)_duplicates ?? [];

    public void AddDuplicate(SequencingRequest request) => (_duplicates ??= []).Add(request);
}
