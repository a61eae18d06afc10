
namespace Admission.Policy;

/// <summary>
/// Where the policy and its audit log are kept, and how replicas hear of changes: a file and
/// in-process notification (<see cref="FilePolicyStore"/>), or Redis with pub/sub (<see cref="RedisPolicyStore"/>).
/// </summary>
internal interface IPolicyStore
{
    /// <summary>Loads the stored policy (seeding the store with <paramref name="initial"/> when it is empty or older) and starts following changes into <paramref name="holder"/>.</summary>
    Task StartAsync(AdmissionPolicy initial, PolicyHolder holder, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="next"/> if the stored version is still <paramref name="expectedVersion"/>, with its audit entry, and tells the other replicas.</summary>
    Task<PolicyWriteResult> TryWriteAsync(AdmissionPolicy next, long expectedVersion, AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest audit entries, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(int count, CancellationToken cancellationToken);

    /// <summary>Adds an entry that changes no policy (a person's logins linked or unlinked) to the same audit log.</summary>
    /// <exception cref="Limits.RateLimitStoreUnavailableException">Redis cannot be reached.</exception>
    Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);
}
