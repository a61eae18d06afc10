// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title BatchInbox
/// @notice The L1 record of a rollup's batches (docs/batch-format.md) and the checks on its
///         sequencer (docs/l1.md): a forced-inclusion queue every batch must drain within
///         `forcedInclusionWindow` L1 blocks, a bond, and two proofs that slash it when a signed
///         soft confirmation (docs/rpc.md) is broken. Each batch is appended under the next index
///         only, so a batcher that re-posts after a reorg or a restart can never create a gap or a
///         duplicate: a second post of an index reverts.
contract BatchInbox {
    /// @notice docs/rpc.md, "Soft confirmation": the signed promise, field for field.
    struct SoftConfirmation {
        bytes32 txHash;
        uint64 sequence;
        uint64 blockNumber;
        uint32 index;
        uint64 timestamp;
        bytes32 accumulator;
    }

    /// @notice What a batch posted for one sequence, and the Merkle path from that leaf to its root.
    struct InclusionProof {
        uint64 batchIndex;
        bytes32 postedTxHash;
        bytes32 postedAccumulator;
        bytes32[] siblings;
    }

    struct BatchCommitment {
        bytes32 txRoot;
        uint64 firstSequence;
        uint64 txCount;
    }

    struct ForcedEntry {
        bytes32 txHash;
        uint64 l1Block;
    }

    bytes32 private constant DOMAIN_TYPEHASH = keccak256("EIP712Domain(string name,string version,uint256 chainId)");
    bytes32 private constant CONFIRMATION_TYPEHASH = keccak256(
        "SoftConfirmation(bytes32 txHash,uint64 sequence,uint64 blockNumber,uint32 index,uint64 timestamp,bytes32 accumulator)"
    );
    // Upper half of the curve order: a signature with s above it is the malleated twin of another.
    uint256 private constant HALF_CURVE_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;
    uint256 public constant MAX_FORCED_TX_BYTES = 131072;
    uint256 public constant PROVER_SHARE_PERCENT = 50;
    uint8 public constant FAULT_EQUIVOCATION = 1;
    uint8 public constant FAULT_NOT_PUBLISHED = 2;

    /// @notice The only account allowed to append.
    address public immutable batcher;
    /// @notice The account that may register a new sequencer after a fault.
    address public immutable owner;
    /// @notice L2 chain id of the EIP-712 domain (Sequencer:ChainId).
    uint256 public immutable l2ChainId;
    /// @notice L1 blocks a forced transaction may wait before a batch must consume it.
    uint64 public immutable forcedInclusionWindow;
    /// @notice Seconds after a confirmation's timestamp by which a batch must cover its sequence.
    uint64 public immutable maxPublishDelay;
    /// @notice appendBatch reverts while the bond is below this (wei).
    uint256 public immutable minimumBond;
    bytes32 public immutable domainSeparator;

    /// @notice Index the next batch must carry.
    uint64 public nextBatchIndex;
    /// @notice Block the next batch must start with (block 0 is genesis and is never batched).
    uint64 public nextBlock = 1;
    /// @notice First sequence the next batch covers; every sequence below it is posted.
    uint64 public nextSequence;
    /// @notice First forced-queue entry no batch has consumed yet.
    uint64 public nextForcedIndex;

    /// @notice The address whose EIP-712 signature makes a soft confirmation.
    address public sequencer;
    bool public sequencerFaulted;
    /// @notice ETH that a proof against the registered sequencer slashes.
    uint256 public bond;
    /// @notice Slashed ETH that no function can move.
    uint256 public burned;
    /// @notice A key once slashed can never be registered again, so no proof pays twice.
    mapping(address => bool) public everFaulted;

    /// @notice keccak256 of each appended batch, by index.
    mapping(uint64 => bytes32) public batchHashes;
    mapping(uint64 => BatchCommitment) public batchCommitments;
    ForcedEntry[] public forcedQueue;

    event BatchAppended(
        uint64 indexed batchIndex,
        uint64 firstBlock,
        uint64 lastBlock,
        bytes32 batchHash,
        bytes32 accumulator,
        uint64 firstSequence,
        uint64 txCount,
        bytes32 txRoot,
        uint64 forcedFrom,
        uint64 forcedThrough,
        bytes daCommitment
    );
    event ForcedTransactionQueued(uint64 indexed queueIndex, bytes32 indexed txHash, uint64 l1Block, bytes rawTx);
    event BondPosted(address indexed from, uint256 amount, uint256 bond);
    event SequencerRegistered(address indexed sequencer);
    event SequencerSlashed(
        address indexed sequencer, address indexed prover, uint8 fault, uint64 sequence, uint256 reward, uint256 burnedAmount
    );

    error NotBatcher(address sender);
    error NotOwner(address sender);
    error UnexpectedBatchIndex(uint64 expected, uint64 given);
    error UnexpectedFirstBlock(uint64 expected, uint64 given);
    error EmptyBlockRange(uint64 firstBlock, uint64 lastBlock);
    error EmptyCommitment();
    error SequencerIsFaulted(address sequencer);
    error BondBelowMinimum(uint256 bond, uint256 minimum);
    error ForcedRangeBeyondQueue(uint64 forcedThrough, uint256 queueLength);
    error ForcedEntryOverdue(uint64 queueIndex, uint64 queuedAtBlock, uint64 deadlineBlock);
    error ForcedTransactionSize(uint256 length);
    error InvalidSetting(string name);
    error SequencerStillActive(address sequencer);
    error SequencerKeyFaulted(address sequencer);
    error BadSignature();
    error NotSequencerSignature(address recovered, address sequencer);
    error BatchNotPosted(uint64 batchIndex);
    error SequenceNotInBatch(uint64 sequence, uint64 firstSequence, uint64 txCount);
    error InvalidInclusionProof();
    error ConfirmationMatchesBatch();
    error SequencePublished(uint64 sequence, uint64 nextSequence);
    error PublishDelayNotOver(uint256 deadline, uint256 now_);
    error RewardTransferFailed();

    constructor(
        address batcher_,
        address sequencer_,
        uint256 l2ChainId_,
        uint64 forcedInclusionWindow_,
        uint64 maxPublishDelay_,
        uint256 minimumBond_
    ) {
        if (batcher_ == address(0)) revert InvalidSetting("batcher");
        if (sequencer_ == address(0)) revert InvalidSetting("sequencer");
        if (forcedInclusionWindow_ == 0) revert InvalidSetting("forcedInclusionWindow");
        if (maxPublishDelay_ == 0) revert InvalidSetting("maxPublishDelay");
        batcher = batcher_;
        owner = msg.sender;
        l2ChainId = l2ChainId_;
        forcedInclusionWindow = forcedInclusionWindow_;
        maxPublishDelay = maxPublishDelay_;
        minimumBond = minimumBond_;
        domainSeparator = keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("RollupSequencer"), keccak256("1"), l2ChainId_));
        sequencer = sequencer_;
        emit SequencerRegistered(sequencer_);
    }

    /// @notice Records a batch. `txRoot` is the Merkle root over the batch's transactions
    ///         (docs/batch-format.md, "Transaction root"); the batch consumes forced-queue entries
    ///         [nextForcedIndex, forcedThrough). Calldata past the ABI-encoded arguments is ignored
    ///         here: in calldata mode it is the batch itself (daCommitment kind 0x03).
    function appendBatch(
        uint64 batchIndex,
        uint64 firstBlock,
        uint64 lastBlock,
        bytes32 batchHash,
        bytes32 accumulator,
        uint64 txCount,
        bytes32 txRoot,
        uint64 forcedThrough,
        bytes calldata daCommitment
    ) external {
        if (msg.sender != batcher) revert NotBatcher(msg.sender);
        if (sequencerFaulted) revert SequencerIsFaulted(sequencer);
        if (bond < minimumBond) revert BondBelowMinimum(bond, minimumBond);
        if (batchIndex != nextBatchIndex) revert UnexpectedBatchIndex(nextBatchIndex, batchIndex);
        if (firstBlock != nextBlock) revert UnexpectedFirstBlock(nextBlock, firstBlock);
        if (lastBlock < firstBlock) revert EmptyBlockRange(firstBlock, lastBlock);
        if (daCommitment.length == 0) revert EmptyCommitment();
        uint64 forcedFrom = _consumeForced(forcedThrough);
        uint64 firstSequence = nextSequence;
        nextBatchIndex = batchIndex + 1;
        nextBlock = lastBlock + 1;
        nextSequence = firstSequence + txCount;
        batchHashes[batchIndex] = batchHash;
        batchCommitments[batchIndex] = BatchCommitment(txRoot, firstSequence, txCount);
        emit BatchAppended(
            batchIndex, firstBlock, lastBlock, batchHash, accumulator, firstSequence, txCount, txRoot, forcedFrom, forcedThrough, daCommitment
        );
    }

    /// @notice Queues a signed L2 transaction that the sequencer must include (or record as
    ///         invalid) within `forcedInclusionWindow` L1 blocks. Anyone may call; admission
    ///         policy does not apply to it.
    function forceInclude(bytes calldata rawTx) external returns (uint64 queueIndex) {
        if (rawTx.length == 0 || rawTx.length > MAX_FORCED_TX_BYTES) revert ForcedTransactionSize(rawTx.length);
        queueIndex = uint64(forcedQueue.length);
        bytes32 txHash = keccak256(rawTx);
        forcedQueue.push(ForcedEntry(txHash, uint64(block.number)));
        emit ForcedTransactionQueued(queueIndex, txHash, uint64(block.number), rawTx);
    }

    function forcedQueueLength() external view returns (uint256) {
        return forcedQueue.length;
    }

    /// @notice Adds to the sequencer's bond. Anyone may pay.
    function postBond() external payable {
        bond += msg.value;
        emit BondPosted(msg.sender, msg.value, bond);
    }

    /// @notice Registers the signing key after a fault. A working sequencer cannot be swapped
    ///         out, so a key cannot escape a proof by rotation.
    function registerSequencer(address newSequencer) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (!sequencerFaulted) revert SequencerStillActive(sequencer);
        if (newSequencer == address(0)) revert InvalidSetting("sequencer");
        if (everFaulted[newSequencer]) revert SequencerKeyFaulted(newSequencer);
        sequencer = newSequencer;
        sequencerFaulted = false;
        emit SequencerRegistered(newSequencer);
    }

    /// @notice Slashes the sequencer for a signed confirmation that disagrees with the leaf the
    ///         covering batch posted for the same sequence.
    function proveEquivocation(SoftConfirmation calldata confirmation, bytes calldata signature, InclusionProof calldata proof)
        external
    {
        address signer = _activeSigner(confirmation, signature);
        if (proof.batchIndex >= nextBatchIndex) revert BatchNotPosted(proof.batchIndex);
        BatchCommitment memory batch = batchCommitments[proof.batchIndex];
        uint64 sequence = confirmation.sequence;
        if (sequence < batch.firstSequence || sequence - batch.firstSequence >= batch.txCount) {
            revert SequenceNotInBatch(sequence, batch.firstSequence, batch.txCount);
        }
        bytes32 leaf = keccak256(abi.encode(sequence, proof.postedTxHash, proof.postedAccumulator));
        if (_rootFrom(leaf, sequence - batch.firstSequence, batch.txCount, proof.siblings) != batch.txRoot) {
            revert InvalidInclusionProof();
        }
        if (proof.postedTxHash == confirmation.txHash && proof.postedAccumulator == confirmation.accumulator) {
            revert ConfirmationMatchesBatch();
        }
        _slash(signer, FAULT_EQUIVOCATION, sequence);
    }

    /// @notice Slashes the sequencer for a signed confirmation whose sequence no batch covers
    ///         `maxPublishDelay` seconds after the confirmation's timestamp.
    function proveNotPublished(SoftConfirmation calldata confirmation, bytes calldata signature) external {
        address signer = _activeSigner(confirmation, signature);
        if (confirmation.sequence < nextSequence) revert SequencePublished(confirmation.sequence, nextSequence);
        uint256 deadline = uint256(confirmation.timestamp) + maxPublishDelay;
        if (block.timestamp <= deadline) revert PublishDelayNotOver(deadline, block.timestamp);
        _slash(signer, FAULT_NOT_PUBLISHED, confirmation.sequence);
    }

    /// @notice EIP-712 digest of a confirmation, as docs/rpc.md defines it.
    function confirmationDigest(SoftConfirmation calldata c) public view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(CONFIRMATION_TYPEHASH, c.txHash, c.sequence, c.blockNumber, c.index, c.timestamp, c.accumulator)
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    function _consumeForced(uint64 forcedThrough) private returns (uint64 forcedFrom) {
        forcedFrom = nextForcedIndex;
        uint256 queueLength = forcedQueue.length;
        if (forcedThrough < forcedFrom || forcedThrough > queueLength) revert ForcedRangeBeyondQueue(forcedThrough, queueLength);
        if (forcedThrough < queueLength) {
            // Entries are queued in block order, so the oldest one left is the only one that can be overdue.
            uint64 queuedAt = forcedQueue[forcedThrough].l1Block;
            uint64 deadline = queuedAt + forcedInclusionWindow;
            if (block.number > deadline) revert ForcedEntryOverdue(forcedThrough, queuedAt, deadline);
        }
        nextForcedIndex = forcedThrough;
    }

    function _activeSigner(SoftConfirmation calldata confirmation, bytes calldata signature) private view returns (address signer) {
        if (signature.length != 65) revert BadSignature();
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) v += 27;
        if (uint256(s) > HALF_CURVE_ORDER || (v != 27 && v != 28)) revert BadSignature();
        signer = ecrecover(confirmationDigest(confirmation), v, r, s);
        if (signer == address(0)) revert BadSignature();
        if (signer != sequencer) revert NotSequencerSignature(signer, sequencer);
        if (sequencerFaulted) revert SequencerIsFaulted(signer);
    }

    /// @dev The tree of docs/batch-format.md: pairs hash as keccak256(left ‖ right); a level's odd
    ///      last node moves up unchanged. The path must be used up exactly.
    function _rootFrom(bytes32 node, uint256 position, uint256 width, bytes32[] calldata siblings) private pure returns (bytes32) {
        uint256 used;
        while (width > 1) {
            if (position & 1 == 1 || position + 1 < width) {
                if (used == siblings.length) revert InvalidInclusionProof();
                bytes32 sibling = siblings[used++];
                node = position & 1 == 1 ? keccak256(abi.encodePacked(sibling, node)) : keccak256(abi.encodePacked(node, sibling));
            }
            position >>= 1;
            width = (width + 1) >> 1;
        }
        if (used != siblings.length) revert InvalidInclusionProof();
        return node;
    }

    function _slash(address signer, uint8 fault, uint64 sequence) private {
        sequencerFaulted = true;
        everFaulted[signer] = true;
        uint256 slashed = bond;
        uint256 reward = slashed * PROVER_SHARE_PERCENT / 100;
        bond = 0;
        burned += slashed - reward;
        emit SequencerSlashed(signer, msg.sender, fault, sequence, reward, slashed - reward);
        if (reward > 0) {
            (bool sent,) = payable(msg.sender).call{value: reward}("");
            if (!sent) revert RewardTransferFailed();
        }
    }
}
