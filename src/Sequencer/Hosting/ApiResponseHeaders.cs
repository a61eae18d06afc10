namespace Sequencer.Hosting;

/// <summary>
/// Every reply of the host is marked nosniff (a browser never guesses a JSON reply is a page) and
/// no-store (identities, usage and policies never land in a shared cache). The /app and /admin pages
/// replace no-store with their own no-cache.
/// </summary>
internal static class ApiResponseHeaders
{
    public static IApplicationBuilder UseApiResponseHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        return next(context);
    });
}
