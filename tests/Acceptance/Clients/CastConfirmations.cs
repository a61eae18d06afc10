namespace Acceptance.Clients;

/// <summary>
/// Waiting for N confirmations with cast. cast 1.7.1 takes <c>--confirmations N</c> but returns as soon as
/// eth_getTransactionReceipt has the receipt (alloy's get_receipt fetches it on its first tick; measured: one receipt
/// request, head = the receipt's block), so a cast user waits by reading <c>cast block-number</c> until the receipt's
/// block has N − 1 blocks on top; on an idle chain only empty blocks give them.
/// </summary>
internal static class CastConfirmations
{
    public static async Task<ulong> WaitAsync(string rpcUrl, ulong receiptBlock, ulong confirmations, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var head = ulong.Parse(await CastTool.RunAsync(timeout, "block-number", "--rpc-url", rpcUrl));
            if (head >= receiptBlock + confirmations - 1)
            {
                return head;
            }

            Assert.True(DateTime.UtcNow < deadline, $"head {head} did not reach block {receiptBlock} + {confirmations - 1} within {timeout}");
            await Task.Delay(250);
        }
    }
}
