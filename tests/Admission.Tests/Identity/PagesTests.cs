using System.Net;
using Admission.Tests.Infrastructure;

namespace Admission.Tests.Identity;

/// <summary>The /app and /admin pages come from the assembly, with headers that keep them to this host.</summary>
public sealed class PagesTests
{
    [Theory]
    [InlineData("/app", "text/html", "send-form")]
    [InlineData("/admin", "text/html", "policy-text")]
    [InlineData("/pages/app.js", "text/javascript", "sequencer_getIdentity")]
    [InlineData("/pages/admin.js", "text/javascript", "refreshCharts")]
    [InlineData("/pages/admin-api.js", "text/javascript", "/admin/api")]
    [InlineData("/pages/svg-chart.js", "text/javascript", "createElementNS")]
    [InlineData("/pages/admin.css", "text/css", ".charts")]
    [InlineData("/pages/style.css", "text/css", "--accent")]
    public async Task Pages_and_their_scripts_are_served_with_a_strict_content_security_policy(string path, string type, string expected)
    {
        await using var host = await IdentityTestHost.StartAsync([]);
        using var http = new HttpClient();

        using var response = await http.GetAsync(host.Url(path));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains(expected, body);
    }

    [Fact]
    public async Task Unknown_page_files_are_not_found()
    {
        await using var host = await IdentityTestHost.StartAsync([]);
        using var http = new HttpClient();

        using var response = await http.GetAsync(host.Url("/pages/secrets.json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
