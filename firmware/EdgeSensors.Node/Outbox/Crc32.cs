namespace EdgeSensors.Node.Outbox;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), the checksum of zip and Ethernet.
/// Hand-written: nanoFramework's mscorlib has none and System.IO.Hashing is desktop-only.
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>CRC of buffer[offset..offset+count).</summary>
    public static uint Compute(byte[] buffer, int offset, int count)
    {
        uint crc = 0xFFFFFFFF;
        for (int i = offset; i < offset + count; i++)
        {
            crc = Table[(crc ^ buffer[i]) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        uint[] table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
