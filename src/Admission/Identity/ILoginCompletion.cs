using Microsoft.AspNetCore.Http;

namespace Admission.Identity;

/// <summary>
/// Something to do when a browser login has started its session (linking it to the login that asked for it,
/// docs/linking.md). Returns null when it had nothing to do, else what the person should read on the page they return to.
/// </summary>
internal interface ILoginCompletion
{
    ValueTask<(bool Succeeded, string Message)?> CompleteAsync(HttpContext context, AdmissionIdentity identity);
}
