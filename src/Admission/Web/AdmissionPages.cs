using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Admission.Web;

/// <summary>
/// The user page /app and the operator page /admin: static HTML and JavaScript embedded in this
/// assembly, so running the sequencer needs no front-end build and no files next to the binary.
/// </summary>
public static class AdmissionPages
{
    // Pages talk only to this host; no inline script, no framing (clickjacking on /admin).
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly FrozenDictionary<string, (byte[] Content, string Type)> Files = Load();

    public static IEndpointRouteBuilder MapAdmissionPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/app", (HttpContext context) => Serve(context, "app.html"));
        endpoints.MapGet("/admin", (HttpContext context) => Serve(context, "admin.html"));
        endpoints.MapGet("/pages/{file}", (HttpContext context, string file) => Serve(context, file));
        // The demo contract the page writes to; "off" when the host has none (AppDemo not registered).
        endpoints.MapGet("/app/api/demo", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            var state = context.RequestServices.GetService(typeof(AppDemo)) is AppDemo demo ? demo.State : new AppDemo().State;
            return Results.Json(state, AppJsonContext.Default.AppDemoState);
        });
        return endpoints;
    }

    private static IResult Serve(HttpContext context, string file)
    {
        if (!Files.TryGetValue(file, out var page))
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-cache";
        return Results.Bytes(page.Content, page.Type);
    }

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        const string prefix = "Admission.Pages.";
        var assembly = typeof(AdmissionPages).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var file = name[prefix.Length..];
            files[file] = (buffer.ToArray(), ContentType(file));
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    };
}
