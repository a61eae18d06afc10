using System.Globalization;
using Admission.Identity;
using Admission.Limits;
using Admission.People;
using Admission.Policy;
using Admission.Spending;

namespace Admission.Sponsorship;

/// <summary>Reads usage without changing it: one identity's limits left, and today's top users by gas.</summary>
public sealed class UsageReader
{
    private readonly PolicyHolder policies;
    private readonly IRateLimitStore store;
    private readonly TimeProvider time;
    private readonly PersonLinking? people;
    private readonly SponsoredGasPrice price;
    private readonly string currency;

    // Internal: the host gets it from AddAdmission; its parts are Admission's own.
    internal UsageReader(PolicyHolder policies, IRateLimitStore store, TimeProvider time, SponsoredGasPrice? price = null, string currency = "ETH", PersonLinking? people = null)
    {
        this.policies = policies;
        this.store = store;
        this.time = time;
        this.people = people;
        this.price = price ?? SponsoredGasPrice.None;
        this.currency = currency;
    }

    /// <summary>Today's wei spend of all identities against the global cap; null when no price is set (nothing counted).</summary>
    /// <exception cref="RateLimitStoreUnavailableException">the store is unreachable.</exception>
    public async ValueTask<SpendUsage?> GlobalSpendAsync(CancellationToken cancellationToken = default)
    {
        var policy = policies.Current;
        var nowUs = NowUs();
        if (price.PriceWei == 0 || store is not ISpendStore spends)
        {
            return null;
        }

        var spent = await spends.ReadSpendAsync([LimitKeys.GlobalWei(LimitKeys.Day(nowUs))], nowUs, cancellationToken).ConfigureAwait(false);
        return SpendUsage.Build(spent[0], policy.GlobalDailySpendCapWei, nowUs, price, currency, policy.SpendAlertPercent);
    }

    /// <exception cref="RateLimitStoreUnavailableException">the store is unreachable.</exception>
    public async ValueTask<IdentityUsage> ForIdentityAsync(AdmissionIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var policy = policies.Current;
        var person = people is null ? null : await people.ViewAsync(identity.Key, cancellationToken).ConfigureAwait(false);
        return await ForKeyAsync(identity.Key, policy.RuleFor(identity), policy, person, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Usage by identity key ("provider:subject", or a person's name "person:…" from the top list); the rule is the first one
    /// for that provider (for a person: of its first member).
    /// </summary>
    public async ValueTask<IdentityUsage> ForKeyAsync(string identityKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        var policy = policies.Current;
        var person = people is null ? null : await people.ViewAsync(identityKey, cancellationToken).ConfigureAwait(false);
        var provider = (PersonKeys.IsPerson(identityKey) && person is not null ? person.Members[0] : identityKey).Split(':', 2)[0];
        CompiledRule? rule = null;
        foreach (var candidate in policy.Rules)
        {
            if (candidate.App is null && (candidate.Provider == "*" || candidate.Provider == provider))
            {
                rule = candidate;
                break;
            }
        }

        return await ForKeyAsync(identityKey, rule, policy, person, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Today's identities with the most sponsored gas, with their transaction counts.</summary>
    internal async ValueTask<IReadOnlyList<TopUser>> TopAsync(int count, CancellationToken cancellationToken = default)
    {
        var nowUs = NowUs();
        var day = LimitKeys.Day(nowUs);
        var top = await store.TopAsync(LimitKeys.TopByGas(day), count, nowUs, cancellationToken).ConfigureAwait(false);
        var keys = new string[top.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = LimitKeys.DailyTx(day, top[i].Member);
        }

        var txCounts = keys.Length == 0 ? [] : await store.ReadAsync(keys, nowUs, cancellationToken).ConfigureAwait(false);
        var users = new TopUser[top.Count];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = new TopUser(top[i].Member, top[i].Score, txCounts[i]);
        }

        return users;
    }

    /// <summary>Sponsored transactions and gas of all identities today.</summary>
    public async ValueTask<(long Tx, long Gas)> GlobalTodayAsync(CancellationToken cancellationToken = default)
    {
        var nowUs = NowUs();
        var day = LimitKeys.Day(nowUs);
        var values = await store.ReadAsync([LimitKeys.GlobalTx(day), LimitKeys.GlobalGas(day)], nowUs, cancellationToken).ConfigureAwait(false);
        return (values[0], values[1]);
    }

    // Limits count under the person's name once linked: the usage shown is the person's, the identity stays the one asked for.
    private async ValueTask<IdentityUsage> ForKeyAsync(string key, CompiledRule? rule, AdmissionPolicy policy, PersonView? person, CancellationToken cancellationToken)
    {
        var identity = person?.Person ?? key;
        var nowUs = NowUs();
        var day = LimitKeys.Day(nowUs);
        var burstKey = rule?.Burst is { } b ? LimitKeys.Rate(b.Rule, identity) : "-";
        var sustainedKey = rule?.Sustained is { } s ? LimitKeys.Rate(s.Rule, identity) : "-";
        var values = await store.ReadAsync(
            [burstKey, sustainedKey, LimitKeys.DailyTx(day, identity), LimitKeys.DailyGas(day, identity), LimitKeys.GlobalGas(day)],
            nowUs,
            cancellationToken).ConfigureAwait(false);
        SpendUsage? spend = null;
        if (price.PriceWei > 0 && store is ISpendStore spends)
        {
            var spent = await spends.ReadSpendAsync([LimitKeys.DailyWei(day, identity)], nowUs, cancellationToken).ConfigureAwait(false);
            spend = SpendUsage.Build(spent[0], rule?.DailySpendCapWei, nowUs, price, currency, policy.SpendAlertPercent);
        }

        return new IdentityUsage
        {
            Identity = key,
            Person = person,
            Rule = rule?.Name,
            Blocked = policy.Blocked.Contains(key),
            PolicyVersion = policy.Version,
            Burst = Window(rule?.Burst, values[0], nowUs),
            Sustained = Window(rule?.Sustained, values[1], nowUs),
            TxToday = values[2],
            DailyTxQuota = rule?.DailyTxQuota,
            GasToday = values[3],
            DailyGasBudget = rule?.DailyGasBudget,
            GlobalGasToday = values[4],
            GlobalDailySponsoredGas = policy.GlobalDailySponsoredGas,
            Spend = spend,
            ResetsAt = DateTimeOffset.FromUnixTimeMilliseconds(LimitKeys.NextDayUs(nowUs) / 1000).ToString("O", CultureInfo.InvariantCulture),
        };
    }

    private static WindowUsage? Window(RateWindow? window, long tat, long nowUs) =>
        window is null ? null : new WindowUsage(window.Count, window.PeriodSeconds, Gcra.Remaining(tat, nowUs, window.IntervalUs, window.ToleranceUs));

    private long NowUs() => time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
}

/// <summary>One line of the top-users list.</summary>
public sealed record TopUser(string Identity, long GasToday, long TxToday);
