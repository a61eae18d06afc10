using Admission.Identity;

namespace Admission.Tests.Infrastructure;

public static class Identities
{
    public static AdmissionIdentity Of(string provider, string subject, IReadOnlyDictionary<string, string>? claims = null) =>
        new(provider, "https://" + provider + ".example", subject, claims ?? new Dictionary<string, string>());
}
