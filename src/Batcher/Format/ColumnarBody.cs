using System.Buffers;
using System.Buffers.Binary;
using Primitives.Chain;
using Primitives.Rlp;

namespace Batcher.Format;

/// <summary>
/// Body layout 1 (docs/batch-format.md, "Columnar body"): 16 sections, each a u32 length and its
/// bytes. EIP-1559 transactions are split into one section per field and their recipients
/// replaced by references into an address dictionary; anything else stays raw. Signatures,
/// the one part no compressor can shrink, end up together instead of breaking up the
/// repetitive fields around them. One instance per thread: it reuses its section buffers.
/// </summary>
internal sealed class ColumnarBody
{
    public const int SectionCount = 16;

    // Section numbers, in the order they appear in the body.
    private const int Blocks = 0, Kinds = 1, Raw = 2, ChainIds = 3, Nonces = 4, PriorityFees = 5, MaxFees = 6,
        GasLimits = 7, Recipients = 8, Addresses = 9, Values = 10, Data = 11, AccessLists = 12, YParities = 13, Rs = 14, Ss = 15;

    public const byte KindRaw = 0;
    public const byte KindDynamicFee = 2;

    private const int FieldCount = 12;

    // Call data forms and word tags (docs/batch-format.md, "Call data").
    private const byte DataRaw = 0, DataWords = 1, WordAddress = 0xff;

    private readonly ArrayBufferWriter<byte>[] _sections = new ArrayBufferWriter<byte>[SectionCount];
    private readonly Dictionary<AddressKey, uint> _addresses = new();
    private readonly int[] _fieldStart = new int[FieldCount];
    private readonly int[] _fieldLength = new int[FieldCount];
    private byte[] _scratch = new byte[1024];

    public ColumnarBody()
    {
        for (var i = 0; i < SectionCount; i++)
        {
            _sections[i] = new ArrayBufferWriter<byte>(4096);
        }
    }

    public void Write(IReadOnlyList<SealedBlock> blocks, IBufferWriter<byte> output)
    {
        foreach (var section in _sections)
        {
            section.ResetWrittenCount();
        }

        _addresses.Clear();
        foreach (var block in blocks)
        {
            var head = _sections[Blocks].GetSpan(12);
            BinaryPrimitives.WriteUInt64BigEndian(head, block.Timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(head[8..], (uint)block.Transactions.Count);
            _sections[Blocks].Advance(12);
            foreach (var tx in block.Transactions)
            {
                if (TrySplit(tx.Span))
                {
                    WriteByte(Kinds, KindDynamicFee);
                    WriteColumns(tx.Span);
                }
                else
                {
                    WriteByte(Kinds, KindRaw);
                    WriteSized(Raw, tx.Span);
                }
            }
        }

        foreach (var section in _sections)
        {
            var span = output.GetSpan(4 + section.WrittenCount);
            BinaryPrimitives.WriteUInt32BigEndian(span, (uint)section.WrittenCount);
            section.WrittenSpan.CopyTo(span[4..]);
            output.Advance(4 + section.WrittenCount);
        }
    }

    public static List<BatchBlock> Read(ReadOnlySpan<byte> body, BatchHeader header)
    {
        var outer = new SpanCursor(body, "columnar body");
        Span<Range> ranges = stackalloc Range[SectionCount];
        var offset = 0;
        for (var i = 0; i < SectionCount; i++)
        {
            var length = outer.ReadSized().Length;
            ranges[i] = new Range(offset + 4, offset + 4 + length);
            offset += 4 + length;
        }

        outer.ExpectEnd();
        var blocksCursor = new SpanCursor(body[ranges[Blocks]], "blocks section");
        var kinds = new SpanCursor(body[ranges[Kinds]], "kinds section");
        var raw = new SpanCursor(body[ranges[Raw]], "raw section");
        var chainIds = new SpanCursor(body[ranges[ChainIds]], "chain id section");
        var nonces = new SpanCursor(body[ranges[Nonces]], "nonce section");
        var priorityFees = new SpanCursor(body[ranges[PriorityFees]], "priority fee section");
        var maxFees = new SpanCursor(body[ranges[MaxFees]], "max fee section");
        var gasLimits = new SpanCursor(body[ranges[GasLimits]], "gas section");
        var recipients = new SpanCursor(body[ranges[Recipients]], "recipient section");
        var addresses = body[ranges[Addresses]];
        var values = new SpanCursor(body[ranges[Values]], "value section");
        var data = new SpanCursor(body[ranges[Data]], "data section");
        var accessLists = new SpanCursor(body[ranges[AccessLists]], "access list section");
        var yParities = new SpanCursor(body[ranges[YParities]], "y parity section");
        var rs = new SpanCursor(body[ranges[Rs]], "r section");
        var ss = new SpanCursor(body[ranges[Ss]], "s section");
        if (addresses.Length % 20 != 0)
        {
            throw new BatchFormatException($"address section is {addresses.Length} bytes, not a multiple of 20");
        }

        var blocks = new List<BatchBlock>((int)(header.LastBlock - header.FirstBlock + 1));
        for (var number = header.FirstBlock; number <= header.LastBlock; number++)
        {
            var timestamp = blocksCursor.ReadUInt64();
            var count = blocksCursor.ReadUInt32();
            if (count > body.Length)
            {
                throw new BatchFormatException($"columnar body: block {number} declares {count} transactions, more than the body could hold");
            }

            var transactions = new byte[count][];
            for (var i = 0; i < transactions.Length; i++)
            {
                var kind = kinds.ReadByte();
                if (kind == KindRaw)
                {
                    transactions[i] = raw.ReadSized().ToArray();
                    continue;
                }

                if (kind != KindDynamicFee)
                {
                    throw new BatchFormatException($"block {number} transaction {i}: unknown kind {kind}");
                }

                var reference = recipients.ReadUInt32();
                ReadOnlySpan<byte> to = default;
                if (reference != 0)
                {
                    if ((ulong)reference * 20 > (ulong)addresses.Length)
                    {
                        throw new BatchFormatException($"block {number} transaction {i}: recipient reference {reference} past the {addresses.Length / 20}-entry dictionary");
                    }

                    to = addresses.Slice((int)(reference - 1) * 20, 20);
                }

                var accessList = accessLists.ReadSized();
                var probe = new RlpReader(accessList);
                if (!probe.TryReadItem("access list", out var isList, out _, out _) || !isList || !probe.IsAtEnd)
                {
                    throw new BatchFormatException($"block {number} transaction {i}: access list is not one RLP list");
                }

                var callData = ReadCallData(ref data, addresses, number, i);
                transactions[i] = Join(
                    chainIds.ReadScalar(), nonces.ReadScalar(), priorityFees.ReadScalar(), maxFees.ReadScalar(), gasLimits.ReadScalar(),
                    to, values.ReadScalar(), callData, accessList, yParities.ReadScalar(), rs.ReadScalar(), ss.ReadScalar());
            }

            blocks.Add(new BatchBlock(number, timestamp, transactions));
        }

        blocksCursor.ExpectEnd();
        kinds.ExpectEnd();
        raw.ExpectEnd();
        chainIds.ExpectEnd();
        nonces.ExpectEnd();
        priorityFees.ExpectEnd();
        maxFees.ExpectEnd();
        gasLimits.ExpectEnd();
        recipients.ExpectEnd();
        values.ExpectEnd();
        data.ExpectEnd();
        accessLists.ExpectEnd();
        yParities.ExpectEnd();
        rs.ExpectEnd();
        ss.ExpectEnd();
        return blocks;
    }

    private static byte[] Join(
        ReadOnlySpan<byte> chainId, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> priorityFee, ReadOnlySpan<byte> maxFee,
        ReadOnlySpan<byte> gas, ReadOnlySpan<byte> to, ReadOnlySpan<byte> value, ReadOnlySpan<byte> data,
        ReadOnlySpan<byte> accessList, ReadOnlySpan<byte> yParity, ReadOnlySpan<byte> r, ReadOnlySpan<byte> s)
    {
        var payload = RlpWriter.StringLength(chainId) + RlpWriter.StringLength(nonce) + RlpWriter.StringLength(priorityFee)
            + RlpWriter.StringLength(maxFee) + RlpWriter.StringLength(gas) + RlpWriter.StringLength(to) + RlpWriter.StringLength(value)
            + RlpWriter.StringLength(data) + accessList.Length + RlpWriter.StringLength(yParity) + RlpWriter.StringLength(r) + RlpWriter.StringLength(s);
        var result = new byte[1 + RlpWriter.HeaderLength(payload) + payload];
        JoinInto(result, payload, chainId, nonce, priorityFee, maxFee, gas, to, value, data, accessList, yParity, r, s);
        return result;
    }

    private static void JoinInto(
        Span<byte> destination, int payload,
        ReadOnlySpan<byte> chainId, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> priorityFee, ReadOnlySpan<byte> maxFee,
        ReadOnlySpan<byte> gas, ReadOnlySpan<byte> to, ReadOnlySpan<byte> value, ReadOnlySpan<byte> data,
        ReadOnlySpan<byte> accessList, ReadOnlySpan<byte> yParity, ReadOnlySpan<byte> r, ReadOnlySpan<byte> s)
    {
        destination[0] = KindDynamicFee;
        var at = 1 + RlpWriter.WriteListHeader(destination[1..], payload);
        at += RlpWriter.WriteString(destination[at..], chainId);
        at += RlpWriter.WriteString(destination[at..], nonce);
        at += RlpWriter.WriteString(destination[at..], priorityFee);
        at += RlpWriter.WriteString(destination[at..], maxFee);
        at += RlpWriter.WriteString(destination[at..], gas);
        at += RlpWriter.WriteString(destination[at..], to);
        at += RlpWriter.WriteString(destination[at..], value);
        at += RlpWriter.WriteString(destination[at..], data);
        accessList.CopyTo(destination[at..]);
        at += accessList.Length;
        at += RlpWriter.WriteString(destination[at..], yParity);
        at += RlpWriter.WriteString(destination[at..], r);
        RlpWriter.WriteString(destination[at..], s);
    }

    // Splits an EIP-1559 envelope into its 12 fields; false for anything that would not join back to the same bytes.
    private bool TrySplit(ReadOnlySpan<byte> tx)
    {
        if (tx.Length < 2 || tx[0] != KindDynamicFee)
        {
            return false;
        }

        var envelope = new RlpReader(tx, 1, tx.Length);
        if (!envelope.TryReadItem("transaction", out var isList, out var listStart, out var listLength) || !isList || !envelope.IsAtEnd)
        {
            return false;
        }

        var fields = new RlpReader(tx, listStart, listStart + listLength);
        for (var field = 0; field < FieldCount; field++)
        {
            var itemStart = fields.Position;
            if (!fields.TryReadItem("field", out var fieldIsList, out var start, out var length))
            {
                return false;
            }

            var wantList = field == 8;
            if (fieldIsList != wantList)
            {
                return false;
            }

            if (wantList)
            {
                // The access list travels as its whole RLP item.
                start = itemStart;
                length = fields.Position - itemStart;
            }
            else if (field == 5 ? length is not (0 or 20) : field != 7 && (length > 32 || (length > 0 && tx[start] == 0)))
            {
                return false;
            }

            _fieldStart[field] = start;
            _fieldLength[field] = length;
        }

        if (!fields.IsAtEnd)
        {
            return false;
        }

        // Re-join and compare: the only way to be sure the columns give back the exact bytes.
        if (_scratch.Length < tx.Length)
        {
            _scratch = new byte[Math.Max(tx.Length, _scratch.Length * 2)];
        }

        var joinedPayload = 0;
        for (var field = 0; field < FieldCount; field++)
        {
            joinedPayload += field == 8 ? _fieldLength[field] : RlpWriter.StringLength(Field(tx, field));
        }

        if (1 + RlpWriter.HeaderLength(joinedPayload) + joinedPayload != tx.Length)
        {
            return false;
        }

        JoinInto(_scratch, joinedPayload, Field(tx, 0), Field(tx, 1), Field(tx, 2), Field(tx, 3), Field(tx, 4), Field(tx, 5),
            Field(tx, 6), Field(tx, 7), Field(tx, 8), Field(tx, 9), Field(tx, 10), Field(tx, 11));
        return _scratch.AsSpan(0, tx.Length).SequenceEqual(tx);
    }

    private ReadOnlySpan<byte> Field(ReadOnlySpan<byte> tx, int field) => tx.Slice(_fieldStart[field], _fieldLength[field]);

    private void WriteColumns(ReadOnlySpan<byte> tx)
    {
        WriteScalar(ChainIds, Field(tx, 0));
        WriteScalar(Nonces, Field(tx, 1));
        WriteScalar(PriorityFees, Field(tx, 2));
        WriteScalar(MaxFees, Field(tx, 3));
        WriteScalar(GasLimits, Field(tx, 4));
        var to = Field(tx, 5);
        uint reference = 0;
        if (to.Length == 20)
        {
            var key = new AddressKey(to);
            if (!_addresses.TryGetValue(key, out reference))
            {
                reference = (uint)_addresses.Count + 1;
                _addresses.Add(key, reference);
                Write(Addresses, to);
            }
        }

        var span = _sections[Recipients].GetSpan(4);
        BinaryPrimitives.WriteUInt32BigEndian(span, reference);
        _sections[Recipients].Advance(4);
        WriteScalar(Values, Field(tx, 6));
        WriteCallData(Field(tx, 7));
        WriteSized(AccessLists, Field(tx, 8));
        WriteScalar(YParities, Field(tx, 9));
        WriteScalar(Rs, Field(tx, 10));
        WriteScalar(Ss, Field(tx, 11));
    }

    // Call data that is a selector and whole 32-byte words goes as words: address-shaped words as
    // dictionary references (the same dictionary as recipients), other words without leading zeros.
    private void WriteCallData(ReadOnlySpan<byte> data)
    {
        var section = _sections[Data];
        var words = (data.Length - 4) / 32;
        if (data.Length < 4 || (data.Length - 4) % 32 != 0 || words > 255)
        {
            var raw = section.GetSpan(5 + data.Length);
            raw[0] = DataRaw;
            BinaryPrimitives.WriteUInt32BigEndian(raw[1..], (uint)data.Length);
            data.CopyTo(raw[5..]);
            section.Advance(5 + data.Length);
            return;
        }

        var head = section.GetSpan(6);
        head[0] = DataWords;
        data[..4].CopyTo(head[1..]);
        head[5] = (byte)words;
        section.Advance(6);
        for (var w = 0; w < words; w++)
        {
            var word = data.Slice(4 + 32 * w, 32);
            if (IsAddressWord(word))
            {
                var address = word[12..];
                var key = new AddressKey(address);
                if (!_addresses.TryGetValue(key, out var reference))
                {
                    reference = (uint)_addresses.Count + 1;
                    _addresses.Add(key, reference);
                    Write(Addresses, address);
                }

                var span = section.GetSpan(5);
                span[0] = WordAddress;
                BinaryPrimitives.WriteUInt32BigEndian(span[1..], reference);
                section.Advance(5);
            }
            else
            {
                var leading = word.IndexOfAnyExcept((byte)0);
                var value = leading < 0 ? ReadOnlySpan<byte>.Empty : word[leading..];
                WriteScalar(Data, value);
            }
        }
    }

    private static bool IsAddressWord(ReadOnlySpan<byte> word) => word[12] != 0 && word[..12].IndexOfAnyExcept((byte)0) < 0;

    private static byte[] ReadCallData(ref SpanCursor data, ReadOnlySpan<byte> addresses, ulong number, int index)
    {
        var form = data.ReadByte();
        if (form == DataRaw)
        {
            return data.ReadSized().ToArray();
        }

        if (form != DataWords)
        {
            throw new BatchFormatException($"block {number} transaction {index}: unknown call data form {form}");
        }

        var selector = data.Take(4);
        var words = data.ReadByte();
        var result = new byte[4 + 32 * words];
        selector.CopyTo(result);
        for (var w = 0; w < words; w++)
        {
            var word = result.AsSpan(4 + 32 * w, 32);
            var tag = data.ReadByte();
            if (tag == WordAddress)
            {
                var reference = data.ReadUInt32();
                if (reference == 0 || (ulong)reference * 20 > (ulong)addresses.Length)
                {
                    throw new BatchFormatException($"block {number} transaction {index}: call data address reference {reference} outside the {addresses.Length / 20}-entry dictionary");
                }

                var address = addresses.Slice((int)(reference - 1) * 20, 20);
                if (address[0] == 0)
                {
                    throw new BatchFormatException($"block {number} transaction {index}: call data address reference {reference} names an address with a leading zero byte");
                }

                address.CopyTo(word[12..]);
            }
            else if (tag <= 32)
            {
                var value = data.Take(tag);
                if (tag > 0 && value[0] == 0)
                {
                    throw new BatchFormatException($"block {number} transaction {index}: call data word {w} has a leading zero byte");
                }

                value.CopyTo(word[(32 - tag)..]);
            }
            else
            {
                throw new BatchFormatException($"block {number} transaction {index}: unknown call data word tag {tag}");
            }
        }

        return result;
    }

    private void WriteByte(int section, byte value)
    {
        _sections[section].GetSpan(1)[0] = value;
        _sections[section].Advance(1);
    }

    private void Write(int section, ReadOnlySpan<byte> value) => _sections[section].Write(value);

    private void WriteScalar(int section, ReadOnlySpan<byte> value)
    {
        var span = _sections[section].GetSpan(1 + value.Length);
        span[0] = (byte)value.Length;
        value.CopyTo(span[1..]);
        _sections[section].Advance(1 + value.Length);
    }

    private void WriteSized(int section, ReadOnlySpan<byte> value)
    {
        var span = _sections[section].GetSpan(4 + value.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)value.Length);
        value.CopyTo(span[4..]);
        _sections[section].Advance(4 + value.Length);
    }

    private readonly record struct AddressKey(ulong High, ulong Middle, uint Low)
    {
        public AddressKey(ReadOnlySpan<byte> address)
            : this(BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]), BinaryPrimitives.ReadUInt32BigEndian(address[16..]))
        {
        }
    }
}
