namespace Batcher.Verification;

/// <summary>Outcome of a verify run: every problem found, with a message that says exactly what disagrees.</summary>
public sealed class VerificationReport
{
    public List<string> Problems { get; } = [];

    public int Batches { get; set; }

    public int Blocks { get; set; }

    public int Transactions { get; set; }

    public int ConfirmationsChecked { get; set; }

    /// <summary>Confirmations for transactions not published yet: not a contradiction, only not checkable.</summary>
    public int ConfirmationsPending { get; set; }

    /// <summary>Proofs <c>verify --prove</c> submitted and L1 accepted (each slashed the sequencer).</summary>
    public List<string> ProofsSubmitted { get; } = [];

    public bool Passed => Problems.Count == 0;
}
