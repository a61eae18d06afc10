namespace Sequencer.OperatorConsole;

/// <summary>
/// One point of the console's history, covering the <c>SampleSeconds</c> before <see cref="At"/>: sponsored decisions
/// admitted and refused (by "verdict: reason"), transactions confirmed per second, the p99 of their confirmation
/// latency (null when none was confirmed), sealed blocks not yet batched (null while this replica does not batch)
/// and the DA backend's state then.
/// </summary>
public sealed record ConsoleSample(
    long At,
    long Admitted,
    IReadOnlyDictionary<string, long> Refused,
    double ConfirmedPerSecond,
    double? ConfirmP99Ms,
    long? BatchLag,
    string DaState);
