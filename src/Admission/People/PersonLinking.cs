using System.Globalization;
using Admission.Limits;
using Admission.Policy;

namespace Admission.People;

/// <summary>
/// Links logins and wallets into one person and unlinks them (docs/admission.md, "One person, many logins and wallets"):
/// the link itself (<see cref="IPersonStore"/>), the usage it carries (<see cref="PersonalUsage"/>) and an entry in the
/// operators' audit log, in that order. Limits count under <see cref="LimitKeyAsync"/>: the person's name once linked.
/// </summary>
/// <remarks>
/// The link and the usage are two steps (the person store and the limit store are separate parts): a request of the
/// joining login that is in flight between them counts under the login's own key, where the carry has already looked.
/// At most the requests in flight at that moment are missed; they still count for the login alone.
/// </remarks>
internal sealed class PersonLinking(IPersonStore store, IRateLimitStore limits, IPolicyStore audit, PolicyHolder policies, TimeProvider time)
{
    /// <summary>The policy version in force (unlinking changes no policy; the operator API replies with it).</summary>
    public long PolicyVersion => policies.Current.Version;

    /// <summary>The key limits and usage count under: the person an identity belongs to, or the identity itself.</summary>
    /// <exception cref="RateLimitStoreUnavailableException">the store cannot be reached.</exception>
    public async ValueTask<string> LimitKeyAsync(string identityKey, CancellationToken cancellationToken = default) =>
        await store.PersonOfAsync(identityKey, cancellationToken).ConfigureAwait(false) ?? identityKey;

    /// <summary>True when <paramref name="limits"/> finds an identity's person itself as it takes (<see cref="LimitRequest.Owner"/>).</summary>
    public bool ResolvedBy(IRateLimitStore limits) => limits.ResolvesPersons(store);

    /// <summary>The person and its members, or null for an identity linked to nothing.</summary>
    public async ValueTask<PersonView?> ViewAsync(string identityKey, CancellationToken cancellationToken = default)
    {
        var person = PersonKeys.IsPerson(identityKey) ? identityKey : await store.PersonOfAsync(identityKey, cancellationToken).ConfigureAwait(false);
        if (person is null)
        {
            return null;
        }

        var members = await store.MembersAsync(person, cancellationToken).ConfigureAwait(false);
        return members.Count == 0 ? null : new PersonView(person, members);
    }

    /// <summary>Links <paramref name="joiningKey"/> to <paramref name="callerKey"/>'s person; <paramref name="proof"/> says how both were proven (audit).</summary>
    public async ValueTask<LinkOutcome> LinkAsync(string callerKey, string joiningKey, string proof, CancellationToken cancellationToken = default)
    {
        var outcome = await store.LinkAsync(callerKey, joiningKey, PersonKeys.NewPerson(), PersonKeys.MaxMembers, cancellationToken).ConfigureAwait(false);
        if (outcome.Status != LinkStatus.Linked)
        {
            return outcome;
        }

        await limits.CarryAsync(PersonalUsage.Join(outcome.Person, outcome.Joined, NowUs()), cancellationToken).ConfigureAwait(false);
        await AuditAsync(callerKey, "person.link", [$"{outcome.Person}: linked {Quote(joiningKey)} to {Quote(callerKey)} ({proof}); usage of {string.Join(", ", outcome.Joined.Select(Quote))} added to the person's"], cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Takes <paramref name="leavingKey"/> out of <paramref name="callerKey"/>'s person; <paramref name="actor"/> is who asked (audit).</summary>
    public async ValueTask<UnlinkOutcome> UnlinkAsync(string actor, string callerKey, string leavingKey, CancellationToken cancellationToken = default)
    {
        var outcome = await store.UnlinkAsync(callerKey, leavingKey, cancellationToken).ConfigureAwait(false);
        if (outcome.Person is not { } person)
        {
            return outcome;
        }

        var now = NowUs();
        var changes = new List<string>(outcome.Left.Count);
        foreach (var left in outcome.Left)
        {
            await limits.CarryAsync(PersonalUsage.Leave(left, person, now), cancellationToken).ConfigureAwait(false);
            changes.Add(left == leavingKey
                ? $"{person}: unlinked {Quote(left)}; it keeps a copy of the person's usage today"
                : $"{person}: dissolved, {Quote(left)} is on its own again with a copy of the person's usage today");
        }

        await AuditAsync(actor, "person.unlink", changes, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    private Task AuditAsync(string actor, string action, IReadOnlyList<string> changes, CancellationToken cancellationToken)
    {
        var version = policies.Current.Version;
        var entry = new AuditEntry(time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), actor, action, version, version, changes);
        return audit.AppendAuditAsync(entry, cancellationToken);
    }

    private static string Quote(string key) => "\"" + key + "\"";

    private long NowUs() => time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
}

/// <summary>A person as the user and the operator see it.</summary>
public sealed record PersonView(string Person, IReadOnlyList<string> Members);
