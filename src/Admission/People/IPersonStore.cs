namespace Admission.People;

/// <summary>
/// Which logins and wallets are one person (docs/admission.md, "One person, many logins and wallets"), and the
/// Sign-In with Ethereum nonces the server handed out. An identity that was never linked is a person of its own,
/// named by its own key, so its limits stay where they always were. Kept where the limits are: in process
/// (<see cref="EmbeddedPersonStore"/>) or in Redis (<see cref="RedisPersonStore"/>), shared by the replicas.
/// Every method throws <see cref="Limits.RateLimitStoreUnavailableException"/> when the backend cannot be reached.
/// </summary>
internal interface IPersonStore
{
    /// <summary>The person <paramref name="identityKey"/> belongs to, or null when it is linked to nothing.</summary>
    ValueTask<string?> PersonOfAsync(string identityKey, CancellationToken cancellationToken = default);

    /// <summary>The members of a person, sorted; empty when there is no such person.</summary>
    ValueTask<IReadOnlyList<string>> MembersAsync(string person, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts <paramref name="identityKey"/> and <paramref name="joiningKey"/> into one person, in one atomic step: a new one
    /// named <paramref name="newPerson"/> when neither is linked, else the person of the one that is.
    /// </summary>
    ValueTask<LinkOutcome> LinkAsync(string identityKey, string joiningKey, string newPerson, int maxMembers, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes <paramref name="leavingKey"/> out of <paramref name="callerKey"/>'s person (a member may remove any member, itself
    /// included). A person left with one member is dissolved: that member is on its own again.
    /// </summary>
    ValueTask<UnlinkOutcome> UnlinkAsync(string callerKey, string leavingKey, CancellationToken cancellationToken = default);

    /// <summary>Records a Sign-In with Ethereum nonce the server issued to <paramref name="ownerKey"/>, valid until <paramref name="expiresAt"/>.</summary>
    ValueTask AddNonceAsync(string nonce, string ownerKey, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>The identity a live nonce was issued to, once (the nonce is used up); null for an unknown, used or expired one.</summary>
    ValueTask<string?> TakeNonceAsync(string nonce, CancellationToken cancellationToken = default);
}

internal enum LinkStatus : byte
{
    Linked,

    /// <summary>The two are already one person: nothing changed.</summary>
    AlreadyLinked,

    /// <summary>Both belong to different persons; one must be unlinked there first.</summary>
    OtherPerson,

    /// <summary>The person has the most members allowed.</summary>
    Full,
}

/// <summary>
/// A link's result: <c>Person</c> is the person both now belong to (or the joining one's, for <see cref="LinkStatus.OtherPerson"/>);
/// <c>Joined</c> the identities that were on their own before and now carry their usage into the person.
/// </summary>
internal sealed record LinkOutcome(LinkStatus Status, string Person, IReadOnlyList<string> Joined);

/// <summary>
/// An unlink's result: <c>Person</c> is the person they were taken from, or null when <c>leavingKey</c> was not in the caller's
/// person; <c>Left</c> the identities now on their own: the one unlinked and, when the person dissolved, its last member.
/// </summary>
internal sealed record UnlinkOutcome(string? Person, IReadOnlyList<string> Left);
