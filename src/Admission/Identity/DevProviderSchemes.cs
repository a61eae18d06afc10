using Admission.Identity.Dev;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Admission.Identity;

/// <summary>Registers the built-in dev provider as a Bearer scheme and a login scheme of the host.</summary>
internal static class DevProviderSchemes
{
    internal static void AddDevProvider(IServiceCollection services, AuthenticationBuilder authentication, IdentityOptions options, IReadOnlySet<string> kept)
    {
        var dev = new DevIdentityProvider(options.DevProvider, TimeProvider.System);
        services.AddSingleton(dev);
        services.AddHostedService<DevIdentityProviderNotice>();
        var configuration = dev.Configuration(DevIdentityEndpoints.AuthorizePath, "http://dev-identity.invalid" + DevIdentityEndpoints.TokenPath);
        authentication.AddJwtBearer(IdentitySchemes.Bearer(IdentitySchemes.DevProvider), bearer =>
        {
            bearer.Configuration = configuration;
            bearer.MapInboundClaims = false;
            var provider = new IdentityProviderOptions { Issuer = dev.Issuer, AllowedAlgorithms = [SecurityAlgorithms.RsaSha256] };
            bearer.TokenValidationParameters = BearerSchemes.BearerValidation(provider, [dev.ClientId]);
            bearer.Events = BearerSchemes.BearerEvents(IdentitySchemes.DevProvider, kept);
        });
        authentication.AddOpenIdConnect(IdentitySchemes.Login(IdentitySchemes.DevProvider), oidc =>
        {
            oidc.Configuration = configuration;
            oidc.ClientId = dev.ClientId;
            oidc.ClientSecret = dev.ClientSecret;
            // The token request is answered in process: the host need not know its own public URL.
            oidc.Backchannel = new HttpClient(new DevTokenBackchannel(dev));
            LoginSchemes.ConfigureOidcLogin(oidc, IdentitySchemes.DevProvider, ["profile"], kept);
            // The login form is on this host, at whatever address the browser used to reach it.
            oidc.Events.OnRedirectToIdentityProvider = context =>
            {
                var request = context.Request;
                context.ProtocolMessage.IssuerAddress = $"{request.Scheme}://{request.Host}{request.PathBase}{DevIdentityEndpoints.AuthorizePath}";
                return Task.CompletedTask;
            };
        });
    }
}
