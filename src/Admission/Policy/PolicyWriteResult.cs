namespace Admission.Policy;

internal enum PolicyWriteStatus : byte
{
    Written,

    /// <summary>Someone else changed the policy first; <see cref="PolicyWriteResult.CurrentVersion"/> is the version in force.</summary>
    Conflict,

    /// <summary>The shared store is unreachable; nothing changed.</summary>
    Unavailable,
}

internal readonly record struct PolicyWriteResult(PolicyWriteStatus Status, long CurrentVersion);
