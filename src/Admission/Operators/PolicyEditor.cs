using System.Globalization;
using Admission.Policy;
using Admission.Verification;
using Microsoft.Extensions.Logging;

namespace Admission.Operators;

/// <summary>
/// Operator changes to the policy: a whole new document, or a block / unblock of one identity. Every
/// change is validated, based on the version it names (optimistic concurrency), stored with an audit
/// entry, and then in force on this replica at once (and on the others through the store).
/// </summary>
internal sealed partial class PolicyEditor(PolicyHolder holder, IPolicyStore store, TimeProvider time, VerifierDirectory verifiers, ILogger<PolicyEditor> logger)
{
    /// <summary>
    /// Replaces the policy. The document's <c>version</c> must be the version it was edited from
    /// (the current one); the stored policy gets the next version.
    /// </summary>
    public Task<PolicyEditResult> ReplaceAsync(string json, string actor, CancellationToken cancellationToken = default)
    {
        if (!PolicyParser.TryParse(json, out var draft, out var errors) || (errors = verifiers.Unknown(draft!)).Count > 0)
        {
            return Task.FromResult(new PolicyEditResult(PolicyEditStatus.Invalid, null, errors, holder.Current.Version, "the policy is invalid"));
        }

        return CommitAsync(draft!.Document, draft.Version, actor, "policy.update", cancellationToken);
    }

    /// <summary>The same as <see cref="ReplaceAsync(string, string, CancellationToken)"/> for a document already read from JSON.</summary>
    public Task<PolicyEditResult> ReplaceAsync(PolicyDocument document, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!PolicyParser.TryCompile(document, out var draft, out var errors) || (errors = verifiers.Unknown(draft!)).Count > 0)
        {
            return Task.FromResult(new PolicyEditResult(PolicyEditStatus.Invalid, null, errors, holder.Current.Version, "the policy is invalid"));
        }

        return CommitAsync(draft!.Document, draft.Version, actor, "policy.update", cancellationToken);
    }

    /// <summary>Adds (or removes) an identity key ("provider:subject") to the blocked list of the current policy.</summary>
    public Task<PolicyEditResult> SetBlockedAsync(string identityKey, bool blocked, string actor, CancellationToken cancellationToken = default)
    {
        var current = holder.Current;
        var document = current.CloneDocument(current.Version);
        var list = document.Blocked ??= [];
        var changed = blocked ? !list.Contains(identityKey) : list.Remove(identityKey);
        if (blocked && changed)
        {
            list.Add(identityKey);
        }

        if (!changed)
        {
            return Task.FromResult(new PolicyEditResult(PolicyEditStatus.Applied, current, [], current.Version,
                blocked ? $"{identityKey} was already blocked" : $"{identityKey} was not blocked"));
        }

        return CommitAsync(document, current.Version, actor, blocked ? "block" : "unblock", cancellationToken);
    }

    private async Task<PolicyEditResult> CommitAsync(PolicyDocument document, long baseVersion, string actor, string action, CancellationToken cancellationToken)
    {
        var current = holder.Current;
        if (baseVersion != current.Version)
        {
            return new PolicyEditResult(PolicyEditStatus.Conflict, null, [], current.Version,
                $"the policy was edited from version {baseVersion}, but version {current.Version} is in force; reload and edit again");
        }

        document.Version = baseVersion + 1;
        if (!PolicyParser.TryCompile(document, out var next, out var errors))
        {
            return new PolicyEditResult(PolicyEditStatus.Invalid, null, errors, current.Version, "the policy is invalid");
        }

        var changes = PolicyDiff.Describe(current, next!);
        var entry = new AuditEntry(time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), actor, action, current.Version, next!.Version, changes);
        var written = await store.TryWriteAsync(next, baseVersion, entry, cancellationToken).ConfigureAwait(false);
        switch (written.Status)
        {
            case PolicyWriteStatus.Written:
                holder.Offer(next);
                LogChanged(logger, actor, action, current.Version, next.Version, string.Join("; ", changes));
                return new PolicyEditResult(PolicyEditStatus.Applied, next, [], next.Version, $"policy v{next.Version} is in force");
            case PolicyWriteStatus.Conflict:
                return new PolicyEditResult(PolicyEditStatus.Conflict, null, [], written.CurrentVersion,
                    $"the policy was edited from version {baseVersion}, but version {written.CurrentVersion} is stored; reload and edit again");
            default:
                return new PolicyEditResult(PolicyEditStatus.Unavailable, null, [], current.Version, "the policy store is unreachable; nothing changed");
        }
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "Policy {Action} by {Actor}: v{From} -> v{To}: {Changes}")]
    private static partial void LogChanged(ILogger logger, string actor, string action, long from, long to, string changes);
}
