namespace Sequencer.Execution;

/// <summary>Which execution node, if any, runs the sequenced blocks.</summary>
public enum ExecutionKind
{
    /// <summary>No execution: the sequencer only orders (no receipts, no state reads).</summary>
    None = 0,

    /// <summary>An anvil node with automine off: txs are sent in order and one block is mined per sealed block.</summary>
    Anvil = 1,

    /// <summary>An execution client driven through the Engine API with the payload's transaction list (OP Stack style).</summary>
    Engine = 2,

    /// <summary>
    /// Development: start an anvil binary (tools/node_modules/.bin, <c>AnvilPath</c> or PATH) as a managed child process
    /// and execute on it; without one, or outside Development, ordering only, with a log line saying why.
    /// </summary>
    Auto = 3,
}
