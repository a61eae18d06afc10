namespace Admission.Policy;

/// <summary>One accepted policy change: who, when, which versions, and what changed (paths with old → new values).</summary>
internal sealed record AuditEntry(string At, string Actor, string Action, long FromVersion, long ToVersion, IReadOnlyList<string> Changes);
