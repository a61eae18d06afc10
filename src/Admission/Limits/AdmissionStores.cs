using Admission.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Admission.Limits;

/// <summary>
/// The one Redis connection of admission (limits, policy, sessions, the Data Protection key ring),
/// registered by whichever side (admission or identity) is added first.
/// </summary>
internal static class AdmissionStores
{
    public static IServiceCollection AddRedisConnection(this IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AdmissionOptions>>().Value;
            return new RedisConnection(options.RedisConfiguration, options.RedisKeyPrefix);
        });
        return services;
    }

    public static bool UsesRedis(IServiceProvider services) =>
        services.GetRequiredService<IOptions<AdmissionOptions>>().Value.Store == AdmissionStoreKind.Redis;
}
