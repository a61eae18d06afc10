namespace Admission.Policy;

/// <summary>
/// How the sequencer divides each block's gas when more waits than fits (docs/block-share.md): the sponsored lane's
/// share, and the most one identity may take. Absent: the lanes weighted equally (50 %), no cap per identity.
/// </summary>
internal sealed class BlockShareRules
{
    /// <summary>Percent of each block's gas kept for the sponsored lane while it has transactions waiting (0-100).</summary>
    public int? SponsoredPercent { get; set; }

    /// <summary>Percent of a block's gas one identity may take while others in its lane wait (1-100).</summary>
    public int? MaxPerIdentityPercent { get; set; }
}
