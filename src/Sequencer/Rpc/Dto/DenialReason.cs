namespace Sequencer.Rpc.Dto;

/// <summary>The <c>data</c> of a -32003 policy denial: which rule of the policy refused (e.g. <c>blocked</c>, <c>allowedContracts</c>).</summary>
internal sealed record DenialReason(string Reason);
