using Admission.Identity;
using Admission.Limits;
using Admission.Sponsorship;
using Microsoft.Extensions.Options;
using Sequencer.Options;
using Primitives;
using Sequencer.Rpc.Dto;
using Sequencer.Sequencing;
using Sequencer.Submission;

namespace Sequencer.Rpc.Modules;

/// <summary>
/// Gas-free transactions for logged-in people (docs/admission.md): authenticate → gate → sign with the
/// identity account → sponsored lane. Authentication is the identity side's <see cref="IIdentityAuthenticator"/>.
/// </summary>
internal sealed class AdmissionRpcModule(
    IServiceProvider services,
    SponsoredTransactionGate gate,
    SponsoredSubmitter sponsored,
    UsageReader usage,
    Admission.Accounts.IdentityAccounts accounts,
    NonceBook nonces,
    ChainViews views,
    Admission.Spending.SpendLedger spending,
    IOptions<SequencerOptions> options) : IRpcModule
{
    private readonly int _queueWaitMs = options.Value.QueueWaitMs;

    public void Register(RpcMethodTable table)
    {
        table.Add("sequencer_sendSponsoredTransaction", SendSponsoredAsync);
        table.Add("sequencer_getIdentity", GetIdentityAsync);
    }

    private async ValueTask<RpcResult> SendSponsoredAsync(RpcCall call)
    {
        if (RpcParams.FirstError(call.Params.ExpectAtMost(1), call.Params.Get(0, "transaction request", out var element)) is { } error)
        {
            return error;
        }

        if (!SponsoredCall.TryParse(element, out var request, out var problem))
        {
            return RpcError.InvalidParams("transaction request: " + problem);
        }

        var (identity, refused) = await AuthenticateAsync(call).ConfigureAwait(false);
        if (identity is null)
        {
            return refused!;
        }

        var decision = await gate.AdmitAsync(identity, request!, call.Aborted).ConfigureAwait(false);
        if (!decision.IsAdmitted)
        {
            return ToError(decision);
        }

        var (outcome, signed) = await sponsored.SubmitAsync(identity, request!, decision.Gas).ConfigureAwait(false);
        if (SubmissionErrors.From(outcome, _queueWaitMs) is { } failed)
        {
            return failed;
        }

        await RecordSpendAsync(identity.Key, outcome.Confirmed!, decision).ConfigureAwait(false);
        return views.SponsoredConfirmationResult(outcome.Confirmed!, signed!.From, signed.Nonce, signed.Gas);
    }

    /// <summary>
    /// The reservation under the transaction's hash, for its receipt to settle. If the store cannot take it the
    /// reservation stays charged in full (fewer sponsored transactions, never more); the transaction is confirmed.
    /// </summary>
    private async ValueTask RecordSpendAsync(string identity, Sequencer.Chain.SequencedTransaction confirmed, AdmissionDecision decision)
    {
        try
        {
            await spending.RecordAsync(decision.SpendKey ?? identity, confirmed.Hash.ToString(), confirmed.BlockNumber, decision.ReservedWei, decision.PriceWei, decision.SpendDay).ConfigureAwait(false);
        }
        catch (RateLimitStoreUnavailableException)
        {
        }
    }

    private async ValueTask<RpcResult> GetIdentityAsync(RpcCall call)
    {
        if (call.Params.ExpectAtMost(0) is { } error)
        {
            return error;
        }

        var (identity, refused) = await AuthenticateAsync(call).ConfigureAwait(false);
        if (identity is null)
        {
            return refused!;
        }

        IdentityUsage today;
        try
        {
            today = await usage.ForIdentityAsync(identity, call.Aborted).ConfigureAwait(false);
        }
        catch (RateLimitStoreUnavailableException)
        {
            return RpcError.Limit("usage is unavailable: the rate limiter cannot be reached", LimitRules.LimiterUnavailable, 1_000);
        }

        var account = accounts.AddressOf(identity);
        var dto = new IdentityDto
        {
            Provider = identity.Provider,
            Subject = identity.Subject,
            Identity = identity.Key,
            Address = account.ToString(),
            Nonce = Hex.EncodeQuantity(nonces.GetPending(account)),
            Usage = today,
        };
        return RpcResult.Object(dto, AdmissionRpcJsonContext.Default.IdentityDto);
    }

    private async ValueTask<(AdmissionIdentity? Identity, RpcError? Refused)> AuthenticateAsync(RpcCall call)
    {
        var authenticator = services.GetService<IIdentityAuthenticator>();
        if (authenticator is null)
        {
            return (null, new RpcError(RpcErrorCodes.TransactionRejected, "sponsored transactions are not available: no identity provider is configured"));
        }

        if (call.Transport.RequestForAuthentication() is not { } request)
        {
            return (null, new RpcError(RpcErrorCodes.TransactionRejected, "authentication required: send a Bearer token or a login session"));
        }

        IdentityResult result;
        await using (request.ConfigureAwait(false))
        {
            result = await authenticator.AuthenticateAsync(request.Context).ConfigureAwait(false);
        }

        return result.Identity is { } identity
            ? (identity, null)
            : (null, new RpcError(RpcErrorCodes.TransactionRejected, "authentication failed: " + result.Failure));
    }

    // A denial's reason is one of the gate's fixed rule names, so its data object is built once per reason.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Text.Json.JsonElement> DenialData = new(StringComparer.Ordinal);

    /// <summary>
    /// A limit: -32005 with <c>data {reason, retryAfterMs}</c>; a policy denial: -32003 with <c>data {reason}</c>
    /// (typed, so that clients and the admission meter name refusals the same way).
    /// </summary>
    internal static RpcError ToError(AdmissionDecision decision) => decision.Verdict == AdmissionVerdict.Limited
        ? RpcError.Limit(decision.Message, decision.Reason, decision.RetryAfterMs)
        : new RpcError(RpcErrorCodes.TransactionRejected, decision.Message)
        {
            RawData = DenialData.GetOrAdd(decision.Reason, static reason =>
                System.Text.Json.JsonSerializer.SerializeToElement(new DenialReason(reason), AdmissionRpcJsonContext.Default.DenialReason)),
        };
}
