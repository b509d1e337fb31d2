using System;

namespace EdgeSensors.Node.Outbox;

/// <summary>Little-endian field access in byte arrays, identical on the ESP32 and on desktop.</summary>
public static class LittleEndian
{
    /// <summary>Writes a 32-bit value.</summary>
    public static void WriteUInt32(byte[] b, int offset, uint value)
    {
        b[offset] = (byte)value;
        b[offset + 1] = (byte)(value >> 8);
        b[offset + 2] = (byte)(value >> 16);
        b[offset + 3] = (byte)(value >> 24);
    }

    /// <summary>Reads a 32-bit value.</summary>
    public static uint ReadUInt32(byte[] b, int offset) =>
        (uint)(b[offset] | (b[offset + 1] << 8) | (b[offset + 2] << 16) | (b[offset + 3] << 24));

    /// <summary>Writes a 64-bit value.</summary>
    public static void WriteInt64(byte[] b, int offset, long value)
    {
        WriteUInt32(b, offset, (uint)value);
        WriteUInt32(b, offset + 4, (uint)(value >> 32));
    }

    /// <summary>Reads a 64-bit value.</summary>
    public static long ReadInt64(byte[] b, int offset) =>
        (long)ReadUInt32(b, offset) | ((long)ReadUInt32(b, offset + 4) << 32);

    /// <summary>Writes a double by its IEEE 754 bits.</summary>
    public static void WriteDouble(byte[] b, int offset, double value) =>
        WriteInt64(b, offset, BitConverter.DoubleToInt64Bits(value));

    /// <summary>Reads a double by its IEEE 754 bits.</summary>
    public static double ReadDouble(byte[] b, int offset) => BitConverter.Int64BitsToDouble(ReadInt64(b, offset));
}
