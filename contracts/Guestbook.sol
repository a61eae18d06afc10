// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title Guestbook: the demo contract /app writes to in Development (docs/admission.md, "The app page").
/// @notice Anyone may write a short message; the newest entries can be read back one by one.
contract Guestbook {
    struct Entry {
        address author;
        uint64 time;
        string message;
    }

    /// Longest message in bytes (UTF-8): the page says so before sending.
    uint256 public constant MAX_MESSAGE_BYTES = 140;

    Entry[] private entries;

    event Written(uint256 indexed index, address indexed author, string message);

    error EmptyMessage();
    error MessageTooLong(uint256 length, uint256 limit);

    function write(string calldata message) external {
        uint256 length = bytes(message).length;
        if (length == 0) revert EmptyMessage();
        if (length > MAX_MESSAGE_BYTES) revert MessageTooLong(length, MAX_MESSAGE_BYTES);
        entries.push(Entry(msg.sender, uint64(block.timestamp), message));
        emit Written(entries.length - 1, msg.sender, message);
    }

    function count() external view returns (uint256) {
        return entries.length;
    }

    /// @notice The entry at `index` (0 is the oldest).
    function entry(uint256 index) external view returns (address author, uint64 time, string memory message) {
        Entry storage e = entries[index];
        return (e.author, e.time, e.message);
    }
}
