using EdgeSensors.Emulator.Sim;
using EdgeSensors.Node.Config;

namespace EdgeSensors.Emulator;

/// <summary>Everything a run needs (filled from the command line, or by tests).</summary>
public sealed class EmulatorSettings
{
    public int Nodes { get; set; } = 10;

    public string IdPrefix { get; set; } = "emu";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    /// <summary>The gateway's CA (PEM text): nodes connect with TLS and trust only it. Null: plain MQTT (a lab gateway with Broker:AllowPlaintext).</summary>
    public string? CaPem { get; set; }

    /// <summary>Node credentials (id → secret); missing ones are registered through <see cref="RegisterUrl"/>.</summary>
    public Dictionary<string, string> Credentials { get; set; } = [];

    public Uri? RegisterUrl { get; set; }

    public string? OperatorToken { get; set; }

    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(60);

    public double Speed { get; set; } = 1;

    /// <summary>No gateway, virtual time: every node samples into its outbox (deterministic; scenario studies).</summary>
    public bool Offline { get; set; }

    public int IntervalSeconds { get; set; } = 60;

    public PowerMode Mode { get; set; } = PowerMode.AlwaysOn;

    public string Scenario { get; set; } = "dry-typical";

    public DateTime? StartUtc { get; set; }

    public int Seed { get; set; } = 1;

    public List<FaultSpec> Faults { get; set; } = [];

    public bool KeepSampleLog { get; set; }

    /// <summary>
    /// Mixed into each node's boot-id draws (not its readings or faults): a new value per run makes a rerun with the
    /// same seed boot with fresh ids, so the gateway stores its readings instead of dropping them as duplicates of
    /// the last run's. 0: the seed alone decides (offline studies, --same-boots).
    /// </summary>
    public int BootSalt { get; set; }
}
