namespace Sequencer.Replication;

/// <summary>One time in the lead: a resignation asked for, and the moment the node stepped down and let its lease go.</summary>
internal sealed class LeadTerm
{
    public TaskCompletionSource Requested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource SteppedDown { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
