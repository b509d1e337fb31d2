using System;

namespace EdgeSensors.Node.Samples;

/// <summary>
/// Numbers samples: a random non-zero 32-bit boot id per boot and seq from 1.
/// A wake from timer deep sleep is not a new boot: the sequencer resumes the boot and seq stored with the newest
/// outbox record, so a battery node does not draw a fresh random id every 15 minutes (which over a season would
/// make a collision, and so a dropped duplicate at the IOC, likely).
/// </summary>
public sealed class SampleSequencer
{
    private uint _lastSeq;

    private SampleSequencer(uint boot, uint lastSeq)
    {
        Boot = boot;
        _lastSeq = lastSeq;
    }

    /// <summary>The boot id in use.</summary>
    public uint Boot { get; }

    /// <summary>The last seq handed out (0 before the first sample).</summary>
    public uint LastSeq => _lastSeq;

    /// <summary>Starts a new boot with a random id different from <paramref name="previousBoot"/> and from 0.</summary>
    public static SampleSequencer NewBoot(Random random, uint previousBoot)
    {
        uint boot;
        do
        {
            // Two 16-bit halves: Random.Next's upper bound is exclusive and int-sized.
            boot = ((uint)random.Next(0x10000) << 16) | (uint)random.Next(0x10000);
        }
        while (boot == 0 || boot == previousBoot);

        return new SampleSequencer(boot, 0);
    }

    /// <summary>Continues an existing boot after a deep-sleep wake.</summary>
    public static SampleSequencer Resume(uint boot, uint lastSeq) => new SampleSequencer(boot, lastSeq);

    /// <summary>The next seq. Never returns a value twice within a boot.</summary>
    public uint Next()
    {
        if (_lastSeq == uint.MaxValue)
        {
            throw new InvalidOperationException("Sequence exhausted for this boot; reboot to start a new boot id.");
        }

        _lastSeq++;
        return _lastSeq;
    }
}
