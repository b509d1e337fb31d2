using System;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Node.Outbox;

/// <summary>
/// Bounded, reboot-proof queue of samples not yet acknowledged by the gateway.
///
/// Layout (after Vector's disk buffer and Fluent Bit's chunkio: checksummed records plus a small ledger):
/// two ledger copies (A at 0, B at 32), written alternately with a generation number and a CRC, so a write torn by
/// a brown-out leaves the other copy intact; then <c>capacity</c> fixed 96-byte record slots. Each record carries a
/// monotonically increasing write number w (slot = w mod capacity) and its own CRC. On open, the newest valid
/// record gives the write position, the ledger gives what was acknowledged and how many were dropped.
///
/// When full, the oldest unsent sample is overwritten and counted in <see cref="Dropped"/> (oldest first, as the
/// protocol promises); the count is in the node's status.
/// </summary>
public sealed class SampleOutbox
{
    /// <summary>Bytes per record slot.</summary>
    public const int RecordSize = 96;

    private const int LedgerSize = 32;
    private const int DataStart = 2 * LedgerSize;
    private const uint Magic = 0x58424F45; // "EOBX"
    private const uint FormatVersion = 1;

    private readonly IRandomAccessStorage _storage;
    private readonly byte[] _record = new byte[RecordSize];
    private readonly byte[] _ledger = new byte[LedgerSize];
    private uint _generation;
    private uint _ackedThrough;
    private uint _newest;
    private uint _dropped;
    private uint _lastBoot;
    private uint _lastSeq;

    private SampleOutbox(IRandomAccessStorage storage, int capacity)
    {
        _storage = storage;
        Capacity = capacity;
    }

    /// <summary>Maximum number of queued samples.</summary>
    public int Capacity { get; }

    /// <summary>Samples waiting to be sent.</summary>
    public int Count => (int)(_newest - Tail + 1);

    /// <summary>Samples dropped because the outbox was full, or whose slot no longer read back, since it was created.</summary>
    public uint Dropped => _dropped;

    /// <summary>Boot id of the newest sample ever appended (0 when none): lets a deep-sleep wake resume the boot.</summary>
    public uint LastBoot => _lastBoot;

    /// <summary>Seq of the newest sample ever appended.</summary>
    public uint LastSeq => _lastSeq;

    /// <summary>True when the ledger was unreadable at open and positions were rebuilt from the records (samples may be re-sent; the gateway drops duplicates).</summary>
    public bool Recovered { get; private set; }

    private uint Tail
    {
        get
        {
            uint byCapacity = _newest >= (uint)Capacity ? _newest - (uint)Capacity + 1 : 1;
            uint byAck = _ackedThrough + 1;
            return byAck > byCapacity ? byAck : byCapacity;
        }
    }

    /// <summary>
    /// Opens the outbox in the storage, creating it when the storage is empty. A storage created with another
    /// capacity is refused rather than misread.
    /// </summary>
    public static SampleOutbox Open(IRandomAccessStorage storage, int capacity)
    {
        if (capacity < 2 || capacity > 1000000)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "Outbox capacity must be between 2 and 1000000 samples.");
        }

        var outbox = new SampleOutbox(storage, capacity);
        outbox.Load();
        return outbox;
    }

    /// <summary>Appends a sample durably. When full, the oldest queued sample is dropped and counted.</summary>
    public void Append(Sample sample)
    {
        uint w = _newest + 1;
        if (Count >= Capacity)
        {
            // The slot about to be overwritten holds the oldest unsent sample: record the drop first, so a crash
            // between the two writes loses at most that sample and still counts it.
            _dropped++;
            _ackedThrough = Tail;
            WriteLedger();
        }

        EncodeRecord(w, sample, _record);
        _storage.Write(SlotOffset(w), _record, RecordSize);
        _storage.Flush();
        _newest = w;
        _lastBoot = sample.Boot;
        _lastSeq = sample.Seq;
    }

    /// <summary>
    /// The oldest queued samples, in order, at most <paramref name="maxCount"/>, all of the same boot (a telemetry
    /// message carries one boot id).
    /// </summary>
    public Sample[] Peek(int maxCount)
    {
        int n = Count < maxCount ? Count : maxCount;
        var buffer = new Sample[n];
        int taken = 0;
        uint w = Tail;
        uint boot = 0;
        while (taken < n && w <= _newest)
        {
            Sample? s = ReadRecord(w);
            if (s == null)
            {
                if (taken > 0)
                {
                    break;
                }

                // A slot at the head that no longer reads back (flash wear, a torn write) cannot be sent:
                // count it as dropped and move past it, so one bad slot never blocks the queue.
                _ackedThrough = w;
                _dropped++;
                WriteLedger();
                w++;
                n = Count < maxCount ? Count : maxCount;
                continue;
            }

            if (taken > 0 && s.Boot != boot)
            {
                break;
            }

            boot = s.Boot;
            buffer[taken++] = s;
            w++;
        }

        if (taken == buffer.Length)
        {
            return buffer;
        }

        var result = new Sample[taken];
        Array.Copy(buffer, result, taken);
        return result;
    }

    /// <summary>Removes the oldest <paramref name="count"/> samples after the gateway acknowledged them.</summary>
    public void Acknowledge(int count)
    {
        if (count <= 0)
        {
            return;
        }

        if (count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "Cannot acknowledge more samples than are queued.");
        }

        _ackedThrough = Tail + (uint)count - 1;
        WriteLedger();
    }

    private static long SlotOffset(uint w, int capacity) => DataStart + ((long)(w % (uint)capacity) * RecordSize);

    private long SlotOffset(uint w) => SlotOffset(w, Capacity);

    private void Load()
    {
        if (_storage.Length == 0)
        {
            _generation = 0;
            WriteLedger();
            WriteLedger(); // both copies valid from the start
            return;
        }

        bool haveA = TryReadLedger(0, out uint genA, out uint ackA, out uint dropA, out uint capA);
        bool haveB = TryReadLedger(LedgerSize, out uint genB, out uint ackB, out uint dropB, out uint capB);
        if (haveA && (!haveB || genA >= genB))
        {
            CheckCapacity(capA);
            _generation = genA;
            _ackedThrough = ackA;
            _dropped = dropA;
        }
        else if (haveB)
        {
            CheckCapacity(capB);
            _generation = genB;
            _ackedThrough = ackB;
            _dropped = dropB;
        }
        else
        {
            Recovered = true;
        }

        // The newest valid record fixes the write position.
        uint newest = 0;
        for (uint slot = 0; slot < Capacity; slot++)
        {
            if (_storage.Read(DataStart + ((long)slot * RecordSize), _record, RecordSize) == RecordSize && RecordValid(_record))
            {
                uint w = LittleEndian.ReadUInt32(_record, 0);
                if (w % (uint)Capacity == slot && w > newest)
                {
                    newest = w;
                    _lastBoot = LittleEndian.ReadUInt32(_record, 4);
                    _lastSeq = LittleEndian.ReadUInt32(_record, 8);
                }
            }
        }

        _newest = newest;
        if (_ackedThrough > _newest)
        {
            _ackedThrough = _newest;
        }

        if (Recovered)
        {
            WriteLedger();
        }
    }

    private void CheckCapacity(uint stored)
    {
        if (stored != (uint)Capacity)
        {
            throw new InvalidOperationException(
                "The outbox file was made for " + stored.ToString() + " samples but " + Capacity.ToString()
                + " were configured; keep the capacity or erase the outbox after sending its samples.");
        }
    }

    private Sample? ReadRecord(uint w)
    {
        if (_storage.Read(SlotOffset(w), _record, RecordSize) != RecordSize || !RecordValid(_record)
            || LittleEndian.ReadUInt32(_record, 0) != w)
        {
            return null;
        }

        uint boot = LittleEndian.ReadUInt32(_record, 4);
        uint seq = LittleEndian.ReadUInt32(_record, 8);
        long ts = LittleEndian.ReadInt64(_record, 12);
        bool sync = (_record[20] & 1) != 0;
        int mask = _record[21];
        var reading = new Reading();
        for (int i = 0; i < Reading.FieldCount; i++)
        {
            if ((mask & (1 << i)) != 0)
            {
                reading.Set(i, LittleEndian.ReadDouble(_record, 24 + (8 * i)));
            }
        }

        return new Sample(boot, seq, ts, sync, reading);
    }

    private static void EncodeRecord(uint w, Sample sample, byte[] r)
    {
        Array.Clear(r, 0, r.Length);
        LittleEndian.WriteUInt32(r, 0, w);
        LittleEndian.WriteUInt32(r, 4, sample.Boot);
        LittleEndian.WriteUInt32(r, 8, sample.Seq);
        LittleEndian.WriteInt64(r, 12, sample.Timestamp);
        r[20] = (byte)(sample.ClockSynchronized ? 1 : 0);
        r[21] = (byte)sample.Reading.PresenceMask;
        for (int i = 0; i < Reading.FieldCount; i++)
        {
            LittleEndian.WriteDouble(r, 24 + (8 * i), sample.Reading.Has(i) ? sample.Reading.Get(i) : 0);
        }

        LittleEndian.WriteUInt32(r, RecordSize - 4, Crc32.Compute(r, 0, RecordSize - 4));
    }

    private static bool RecordValid(byte[] r) =>
        LittleEndian.ReadUInt32(r, 0) != 0 && LittleEndian.ReadUInt32(r, RecordSize - 4) == Crc32.Compute(r, 0, RecordSize - 4);

    private bool TryReadLedger(long offset, out uint generation, out uint acked, out uint dropped, out uint capacity)
    {
        generation = acked = dropped = capacity = 0;
        if (_storage.Read(offset, _ledger, LedgerSize) != LedgerSize
            || LittleEndian.ReadUInt32(_ledger, 0) != Magic
            || LittleEndian.ReadUInt32(_ledger, 4) != FormatVersion
            || LittleEndian.ReadUInt32(_ledger, LedgerSize - 4) != Crc32.Compute(_ledger, 0, LedgerSize - 4))
        {
            return false;
        }

        generation = LittleEndian.ReadUInt32(_ledger, 8);
        acked = LittleEndian.ReadUInt32(_ledger, 12);
        dropped = LittleEndian.ReadUInt32(_ledger, 16);
        capacity = LittleEndian.ReadUInt32(_ledger, 20);
        return true;
    }

    private void WriteLedger()
    {
        _generation++;
        Array.Clear(_ledger, 0, LedgerSize);
        LittleEndian.WriteUInt32(_ledger, 0, Magic);
        LittleEndian.WriteUInt32(_ledger, 4, FormatVersion);
        LittleEndian.WriteUInt32(_ledger, 8, _generation);
        LittleEndian.WriteUInt32(_ledger, 12, _ackedThrough);
        LittleEndian.WriteUInt32(_ledger, 16, _dropped);
        LittleEndian.WriteUInt32(_ledger, 20, (uint)Capacity);
        LittleEndian.WriteUInt32(_ledger, LedgerSize - 4, Crc32.Compute(_ledger, 0, LedgerSize - 4));
        // Alternate copies: odd generations go to A, even to B.
        _storage.Write((_generation & 1) == 1 ? 0 : LedgerSize, _ledger, LedgerSize);
        _storage.Flush();
    }
}
