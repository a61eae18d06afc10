using Admission.Identity;
using Admission.Web;

namespace Sequencer.Hosting;

/// <summary>
/// Login (Bearer ID tokens, /auth/login/{provider} into a session cookie, the dev provider in
/// Development) and the /app and /admin pages. Settings: "Admission:Identity" in appsettings.json.
/// </summary>
public static class IdentityHosting
{
    /// <summary>Registers the identity services; call before <c>Build()</c>.</summary>
    public static WebApplicationBuilder AddSequencerIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddAdmissionIdentity(builder.Configuration, builder.Environment);
        return builder;
    }

    /// <summary>Maps the login endpoints and the pages; call after <c>Build()</c>.</summary>
    public static WebApplication MapSequencerIdentity(this WebApplication app)
    {
        app.MapAdmissionLogin();
        app.MapAdmissionPages();
        return app;
    }
}
