namespace Sequencer.Sequencing;

/// <summary>
/// How the single writer divides each block's gas between the lanes and among identities when more is waiting than
/// fits (docs/block-share.md). Both are whole percent of the block's gas limit.
/// </summary>
/// <param name="SponsoredPercent">
/// The sponsored lane's share of a block while both lanes have transactions waiting (0-100); the paid lane gets the
/// rest. A lane with nothing waiting leaves its room to the other.
/// </param>
/// <param name="MaxPerIdentityPercent">
/// The most one identity (a sponsored identity account, or a paid sender) may take of a block while others in its lane
/// are waiting (1-100). Alone, it may take more: no room is held empty.
/// </param>
internal readonly record struct LaneShares(int SponsoredPercent, int MaxPerIdentityPercent)
{
    /// <summary>Without a policy that says otherwise: the lanes weighted equally, no cap per identity.</summary>
    public static readonly LaneShares Default = new(50, 100);
}

/// <summary>Where the writer reads the shares in force (the admission policy, live-editable); read once per round.</summary>
internal interface ILaneSharesSource
{
    LaneShares Current { get; }
}
