using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Admission.Identity;

/// <summary>
/// Cross-site request forgery defence for what a session cookie authorizes. A browser attaches the
/// cookie to requests that other pages start, also pages of the same site on another port, which
/// SameSite does not separate. A request that changes something on the strength of the cookie must
/// therefore show that one of this host's own pages sent it: Sec-Fetch-Site "same-origin" (browsers
/// set it and pages cannot forge it), or else an Origin equal to this host's. API requests must also be
/// JSON, which a page of another origin can only send after a CORS preflight this host never grants.
/// Bearer tokens and the admin key need none of this: a browser never adds them by itself.
/// </summary>
internal static class SameOriginRequest
{
    /// <summary>Null when the request may use the session cookie, else why not.</summary>
    public static string? Problem(HttpRequest request, bool requireJson)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return null;
        }

        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        var origin = request.Headers.Origin.ToString();
        if (fetchSite.Length > 0)
        {
            if (!string.Equals(fetchSite, "same-origin", StringComparison.OrdinalIgnoreCase))
            {
                return $"a session cookie is accepted only from this host's own pages (Sec-Fetch-Site: {fetchSite})";
            }
        }
        else if (origin.Length == 0)
        {
            return "a session cookie is accepted only from this host's own pages: the request has no Origin or Sec-Fetch-Site header; programs send a Bearer token instead";
        }

        if (origin.Length > 0 && !IsThisHost(request, origin))
        {
            return $"a session cookie is accepted only from this host's own pages (Origin: {Shorten(origin)})";
        }

        if (requireJson && !IsJson(request.ContentType))
        {
            return "a request authenticated by the session cookie must have Content-Type: application/json";
        }

        return null;
    }

    private static bool IsThisHost(HttpRequest request, string origin) =>
        string.Equals(origin, request.Scheme + "://" + request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static string Shorten(string value) => value.Length <= 100 ? value : value[..100] + "…";
}
