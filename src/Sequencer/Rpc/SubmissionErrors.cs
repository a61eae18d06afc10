using Sequencer.Sequencing;
using Sequencer.Submission;
using Sequencer.Transactions;

namespace Sequencer.Rpc;

/// <summary>How a refused transaction is reported over JSON-RPC (docs/rpc.md, "Errors").</summary>
internal static class SubmissionErrors
{
    public static RpcError? From(in SubmitOutcome outcome, int queueWaitMs)
    {
        if (outcome.Rejection.Reason == TxRejectionReason.BalanceUnavailable)
        {
            return RpcError.Limit(outcome.Rejection.Message, "execution_unavailable", 1_000);
        }

        if (outcome.Rejection.IsRejected)
        {
            var code = outcome.Rejection.Reason == TxRejectionReason.ZeroFee ? RpcErrorCodes.TransactionRejected : RpcErrorCodes.InvalidInput;
            return new RpcError(code, outcome.Rejection.Message);
        }

        if (outcome.Limited is { } limited)
        {
            // A limit is -32005; a policy denial (a linked wallet's zero-fee call outside its rule) is -32003.
            return Modules.AdmissionRpcModule.ToError(limited);
        }

        var sequencing = outcome.Sequencing;
        return sequencing.Rejection switch
        {
            SequencingRejection.None => null,
            SequencingRejection.NonceTooLow or SequencingRejection.NonceTooHigh => RpcError.InvalidInput(sequencing.Message!),
            SequencingRejection.QueueFull => RpcError.Limit(sequencing.Message!, "queue_full", Math.Max(queueWaitMs, 100)),
            SequencingRejection.NotRunning => RpcError.Limit(sequencing.Message!, "not_running", 1_000),
            SequencingRejection.LogUnavailable => RpcError.Limit(PublicText.WithoutPaths(sequencing.Message)!, "log_unavailable", 1_000),
            SequencingRejection.NotReplicated => RpcError.Limit(sequencing.Message!, "replication", 1_000),
            SequencingRejection.NotLeader => new RpcError(RpcErrorCodes.LimitExceeded, sequencing.Message!,
                new RpcLimitData("not_leader", 500, sequencing.LeaderUrl)),
            _ => new RpcError(RpcErrorCodes.Internal, sequencing.Message!),
        };
    }
}
