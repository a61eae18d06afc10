namespace Admission.Policy;

/// <summary>
/// The policy in force on this replica. Readers take <see cref="Current"/> once per request; a change
/// replaces the whole object, and only a newer version replaces an older one, so replicas that hear of
/// changes in a different order still end on the same version.
/// </summary>
internal sealed class PolicyHolder(AdmissionPolicy initial)
{
    private readonly Lock _lock = new();
    private volatile AdmissionPolicy _current = initial;

    public AdmissionPolicy Current => _current;

    /// <summary>Raised after a newer policy took effect.</summary>
    public event Action<AdmissionPolicy>? Changed;

    /// <summary>Installs <paramref name="policy"/> if its version is newer than the current one.</summary>
    public bool Offer(AdmissionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        lock (_lock)
        {
            if (policy.Version <= _current.Version)
            {
                return false;
            }

            _current = policy;
        }

        Changed?.Invoke(policy);
        return true;
    }
}
