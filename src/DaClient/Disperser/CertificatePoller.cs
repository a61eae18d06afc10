using DaClient.Disperser.Wire;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace DaClient.Disperser;

/// <summary>
/// After a dispersal: polls GetBlobStatus (interval doubling up to a cap) until the blob is COMPLETE, checks that
/// every required quorum signed enough stake, and builds the certificate that goes on L1. No certificate in time,
/// a failed dispersal or too little stake is <see cref="DaError.Unavailable"/> (fail over).
/// </summary>
internal sealed partial class CertificatePoller(Wire.Disperser.DisperserClient disperser, DisperserDaOptions options, TimeProvider time, ILogger logger)
{
    public async Task<DaResult<DisperserCertificate>> AwaitAsync(byte[] blobKey, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var timeout = TimeSpan.FromMilliseconds(options.CertifiedTimeoutMs);
        var interval = TimeSpan.FromMilliseconds(options.StatusPollIntervalMs);
        var maxInterval = TimeSpan.FromMilliseconds(Math.Max(options.StatusPollIntervalMs, options.StatusPollMaxIntervalMs));
        var request = new BlobStatusRequest { BlobKey = ByteString.CopyFrom(blobKey) };
        var lastStatus = BlobStatus.Queued;
        while (true)
        {
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            if (time.GetElapsedTime(started) > timeout)
            {
                return DaFailure.Unavailable(DaUnavailableReason.CertificationTimeout, $"no certificate within {timeout.TotalMilliseconds} ms (last status {lastStatus})");
            }

            BlobStatusReply reply;
            try
            {
                reply = await disperser.GetBlobStatusAsync(request, deadline: DisperserTransport.Deadline(options), cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument)
            {
                return DaFailure.Rejected($"disperser rejected GetBlobStatus: {e.Status.Detail}", e);
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                // NotFound right after dispersal and transient errors: keep polling until the timeout.
                LogPollError(logger, e.StatusCode, e.Status.Detail);
                interval = Next(interval, maxInterval);
                continue;
            }

            lastStatus = reply.Status;
            switch (reply.Status)
            {
                case BlobStatus.Complete:
                    return Certificate(blobKey, reply);
                case BlobStatus.Failed or BlobStatus.Unknown:
                    return DaFailure.Unavailable(DaUnavailableReason.DispersalFailed, $"dispersal ended with status {reply.Status}");
                default:
                    interval = Next(interval, maxInterval);
                    break;
            }
        }
    }

    private DaResult<DisperserCertificate> Certificate(byte[] blobKey, BlobStatusReply reply)
    {
        var attestation = reply.SignedBatch?.Attestation;
        if (attestation is null || reply.SignedBatch!.Header is null || reply.BlobInclusionInfo is null)
        {
            return DaFailure.Unavailable(DaUnavailableReason.DispersalFailed, "COMPLETE status without signed batch or inclusion info");
        }

        // COMPLETE promises nothing about how much stake signed; the thresholds are checked here.
        foreach (var quorum in options.EffectiveQuorums)
        {
            var index = attestation.QuorumNumbers.IndexOf(quorum);
            var signed = index >= 0 && index < attestation.QuorumSignedPercentages.Length ? attestation.QuorumSignedPercentages[index] : 0;
            if (signed < options.RequiredSignedPercentage)
            {
                return DaFailure.Unavailable(DaUnavailableReason.DispersalFailed, $"quorum {quorum} signed {signed}%, below the required {options.RequiredSignedPercentage}%");
            }
        }

        return DaResult<DisperserCertificate>.Ok(new DisperserCertificate
        {
            BlobKey = ByteString.CopyFrom(blobKey),
            BatchHeader = reply.SignedBatch.Header,
            BlobInclusionInfo = reply.BlobInclusionInfo,
            Attestation = attestation,
        });
    }

    private static TimeSpan Next(TimeSpan interval, TimeSpan max) => interval * 2 > max ? max : interval * 2;

    [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "EigenDA GetBlobStatus failed ({Code}: {Detail}); polling again")]
    private static partial void LogPollError(ILogger logger, StatusCode code, string detail);
}
