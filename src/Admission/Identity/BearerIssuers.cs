namespace Admission.Identity;

/// <summary>
/// Which provider's Bearer scheme checks a token, by its (not yet trusted) "iss". The scheme then
/// checks the signature against that issuer's own keys, so a forged "iss" gains nothing.
/// </summary>
internal sealed class BearerIssuers
{
    private readonly Dictionary<string, string> _providerByIssuer = new(StringComparer.Ordinal);

    public void Add(string issuer, string provider)
    {
        _providerByIssuer[issuer] = provider;
        // Discovery documents disagree on the trailing slash; accept both spellings of the same issuer.
        _providerByIssuer[issuer.EndsWith('/') ? issuer.TrimEnd('/') : issuer + "/"] = provider;
    }

    public bool TryGetProvider(string issuer, out string provider) => _providerByIssuer.TryGetValue(issuer, out provider!);
}
