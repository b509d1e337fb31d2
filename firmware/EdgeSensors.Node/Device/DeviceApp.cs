using System;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Outbox;

namespace EdgeSensors.Node.Device;

/// <summary>
/// The device program's composition, written once for the ESP32 and desktop tests: read and validate node.json,
/// fall back to the last good copy when it is refused (and say why in status), open the outbox file, and build the
/// node cycle around the hardware adapters it is given. The ESP32's Program only creates the adapters and loops.
/// </summary>
public sealed class DeviceApp
{
    /// <summary>The provisioned config file on internal storage (I:\node.json on the device).</summary>
    public const string ConfigDocument = "node.json";

    /// <summary>Copy of the last node.json that was accepted.</summary>
    public const string LastGoodDocument = "node.good.json";

    private DeviceApp(NodeCycle cycle, RunJournal journal, string bootError)
    {
        Cycle = cycle;
        Journal = journal;
        BootError = bootError;
    }

    /// <summary>The run record: mark it before a deep sleep or a deliberate reboot.</summary>
    public RunJournal Journal { get; }

    /// <summary>The running cycle.</summary>
    public NodeCycle Cycle { get; }

    /// <summary>Why node.json was refused at boot (empty when it was accepted).</summary>
    public string BootError { get; }

    /// <summary>
    /// Boots. <paramref name="journal"/> (opened with <see cref="RunJournal.Open"/> as the program starts) says whether
    /// this is a timer wake and why the chip started; the platform's reset reason and signal strength are reported
    /// through it. Returns null with <paramref name="error"/> set when there is neither a valid node.json nor a last good
    /// one: the node cannot know where or who to be, and the device shows the reason on its serial console.
    /// </summary>
    public static DeviceApp? Boot(
        IDocumentStorage flash,
        IRandomAccessStorage outboxFile,
        INodeTransport transport,
        INodeClock clock,
        ISensorSampler sampler,
        INodePlatform platform,
        Random random,
        RunJournal journal,
        out string error)
    {
        error = string.Empty;
        string bootError = string.Empty;
        byte[]? text = flash.Read(ConfigDocument);
        NodeConfig? config = null;
        if (text == null)
        {
            bootError = "node.json is missing";
        }
        else
        {
            config = ConfigDecoder.DecodeDevice(text, out string reason);
            if (config == null)
            {
                bootError = "node.json refused: " + reason;
            }
            else
            {
                byte[]? good = flash.Read(LastGoodDocument);
                if (good == null || !SameBytes(good, text))
                {
                    flash.Write(LastGoodDocument, text);
                }
            }
        }

        if (config == null)
        {
            byte[]? good = flash.Read(LastGoodDocument);
            config = good == null ? null : ConfigDecoder.DecodeDevice(good, out _);
            if (config == null)
            {
                error = bootError + "; no last good config to fall back on";
                return null;
            }

            bootError += "; running on the last good config";
        }

        var cycle = new NodeCycle(config, SampleOutbox.Open(outboxFile, config.OutboxCapacity), clock, transport, sampler, new JournaledPlatform(platform, journal), flash, random, journal.WokeFromDeepSleep);
        if (bootError.Length > 0)
        {
            cycle.ReportConfigError(bootError);
        }

        return new DeviceApp(cycle, journal, bootError);
    }

    /// <summary>The platform as the node reports it: reset reason from the run record; the signal strength measured
    /// this wake, or else the last one recorded.</summary>
    private sealed class JournaledPlatform : INodePlatform
    {
        private readonly INodePlatform _inner;
        private readonly RunJournal _journal;

        public JournaledPlatform(INodePlatform inner, RunJournal journal)
        {
            _inner = inner;
            _journal = journal;
        }

        public string FirmwareVersion => _inner.FirmwareVersion;

        public string ResetReason => _journal.ResetReason;

        public double BatteryVolts => _inner.BatteryVolts;

        public int RssiDbm
        {
            get
            {
                int live = _inner.RssiDbm;
                if (live != 0)
                {
                    _journal.RecordRssi(live);
                    return live;
                }

                return _journal.RssiDbm;
            }
        }

        public long FreeMemoryBytes => _inner.FreeMemoryBytes;
    }

    private static bool SameBytes(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
