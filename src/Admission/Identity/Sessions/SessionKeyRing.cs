using Admission.Options;
using Admission.Limits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Admission.Identity.Sessions;

/// <summary>
/// The Data Protection set-up behind the session cookie (and the login's state and correlation
/// cookies). The application name is "{Deployment}/{Environment}": cookies of another deployment or
/// environment do not decrypt here even if the key ring is shared. The key ring is explicit: with
/// the Redis store it is in Redis, so replicas share sessions on purpose; otherwise in a directory
/// (default: the admission data directory), never the user profile that unrelated apps share.
/// </summary>
internal static class SessionKeyRing
{
    public const string DirectoryName = "data-protection-keys";
    public const string RedisKeyName = "data-protection-keys";

    public static string ApplicationName(SessionOptions session, IHostEnvironment environment) => session.Deployment + "/" + environment.EnvironmentName;

    public static void Add(IServiceCollection services, SessionOptions session, IHostEnvironment environment)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName(session, environment));
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((keys, sp) => keys.XmlRepository = Repository(sp, session));
    }

    /// <summary>
    /// Data Protection loads (or, the first time, creates) the key ring in a hosted service before the host listens:
    /// file reads, XML and crypto set-up on every start, or a round trip to Redis, for a key ring that only a login or a
    /// session cookie needs. Without that service the key ring is loaded at its first use, the same way. Call after
    /// everything that registers Data Protection (AddAuthentication does, and would add the service back).
    /// </summary>
    public static void LoadAtFirstUse(IServiceCollection services)
    {
        foreach (var eager in services.Where(IsKeyRingPreload).ToList())
        {
            services.Remove(eager);
        }
    }

    private static bool IsKeyRingPreload(ServiceDescriptor descriptor) =>
        descriptor.ServiceType == typeof(IHostedService)
        && descriptor.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    private static IXmlRepository Repository(IServiceProvider services, SessionOptions session)
    {
        var admission = services.GetRequiredService<IOptions<AdmissionOptions>>().Value;
        if (string.IsNullOrWhiteSpace(session.KeyRingDirectory) && admission.Store == AdmissionStoreKind.Redis)
        {
            var redis = services.GetRequiredService<RedisConnection>();
            return new RedisXmlRepository(() => redis.Database, redis.Key(RedisKeyName));
        }

        var directory = string.IsNullOrWhiteSpace(session.KeyRingDirectory)
            ? Path.Combine(string.IsNullOrWhiteSpace(admission.DataDirectory) ? "data" : admission.DataDirectory, DirectoryName)
            : session.KeyRingDirectory;
        CreatePrivateDirectory(directory);
        return new FileSystemXmlRepository(new DirectoryInfo(directory), services.GetRequiredService<ILoggerFactory>());
    }

    // The keys decrypt every session: only the sequencer's user may read them.
    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
