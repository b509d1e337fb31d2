namespace EdgeSensors.Node.Outbox;

/// <summary>
/// A file the outbox lives in: on the device a file on internal flash (I:\outbox.bin), in tests a temp file,
/// in the emulator a block of memory that outlives the simulated reboot.
/// </summary>
public interface IRandomAccessStorage
{
    /// <summary>Current length in bytes.</summary>
    long Length { get; }

    /// <summary>Reads up to count bytes at offset into buffer[0..]; returns bytes read (fewer past the end).</summary>
    int Read(long offset, byte[] buffer, int count);

    /// <summary>Writes count bytes of buffer at offset, growing the file if needed.</summary>
    void Write(long offset, byte[] buffer, int count);

    /// <summary>Makes every write so far durable (fsync on desktop, flash commit on the device).</summary>
    void Flush();
}
