using Admission.Policy;

namespace Admission.Operators;

internal enum PolicyEditStatus : byte
{
    Applied,

    /// <summary>The document has errors (HTTP 400).</summary>
    Invalid,

    /// <summary>The edit was based on an older version (HTTP 409).</summary>
    Conflict,

    /// <summary>The shared store is unreachable (HTTP 503).</summary>
    Unavailable,
}

/// <summary>The outcome of an operator's policy change.</summary>
internal sealed record PolicyEditResult(PolicyEditStatus Status, AdmissionPolicy? Policy, IReadOnlyList<PolicyError> Errors, long CurrentVersion, string Message);
