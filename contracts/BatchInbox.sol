// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title BatchInbox
/// @notice The L1 record of a rollup's batches (docs/batch-format.md). Each batch is appended
///         under the next index only, so a batcher that re-posts after a reorg or a restart
///         can never create a gap or a duplicate: a second post of an index reverts.
contract BatchInbox {
    /// @notice The only account allowed to append.
    address public immutable batcher;

    /// @notice Index the next batch must carry.
    uint64 public nextBatchIndex;

    /// @notice Block the next batch must start with (block 0 is genesis and is never batched).
    uint64 public nextBlock = 1;

    /// @notice keccak256 of each appended batch, by index.
    mapping(uint64 => bytes32) public batchHashes;

    event BatchAppended(
        uint64 indexed batchIndex,
        uint64 firstBlock,
        uint64 lastBlock,
        bytes32 batchHash,
        bytes32 accumulator,
        bytes daCommitment
    );

    error NotBatcher(address sender);
    error UnexpectedBatchIndex(uint64 expected, uint64 given);
    error UnexpectedFirstBlock(uint64 expected, uint64 given);
    error EmptyBlockRange(uint64 firstBlock, uint64 lastBlock);
    error EmptyCommitment();

    constructor(address batcher_) {
        batcher = batcher_;
    }

    /// @notice Records a batch. Calldata past the ABI-encoded arguments is ignored here: in
    ///         calldata mode it is the batch itself (daCommitment kind 0x03).
    function appendBatch(
        uint64 batchIndex,
        uint64 firstBlock,
        uint64 lastBlock,
        bytes32 batchHash,
        bytes32 accumulator,
        bytes calldata daCommitment
    ) external {
        if (msg.sender != batcher) revert NotBatcher(msg.sender);
        if (batchIndex != nextBatchIndex) revert UnexpectedBatchIndex(nextBatchIndex, batchIndex);
        if (firstBlock != nextBlock) revert UnexpectedFirstBlock(nextBlock, firstBlock);
        if (lastBlock < firstBlock) revert EmptyBlockRange(firstBlock, lastBlock);
        if (daCommitment.length == 0) revert EmptyCommitment();
        nextBatchIndex = batchIndex + 1;
        nextBlock = lastBlock + 1;
        batchHashes[batchIndex] = batchHash;
        emit BatchAppended(batchIndex, firstBlock, lastBlock, batchHash, accumulator, daCommitment);
    }
}
