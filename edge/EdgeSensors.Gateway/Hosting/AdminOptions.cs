namespace EdgeSensors.Gateway.Hosting;

/// <summary>The operator API. Section "Admin".</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>
    /// Operator token. There is no default: when unset, the first start generates one and writes it to
    /// {DataDirectory}/operator.token (readable only by the gateway's user) — it is never logged.
    /// </summary>
    public string? OperatorToken { get; set; }

    /// <summary>A file holding the bootstrap operator token (systemd credentials, a secrets mount) — secrets never need the command line.</summary>
    public string? OperatorTokenFile { get; set; }

    /// <summary>Largest request body accepted, bytes. The API takes small JSON documents only.</summary>
    [System.ComponentModel.DataAnnotations.Range(1024, 1048576)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Most live-feed (server-sent events) clients at once; more are refused with 503.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10000)]
    public int MaxLiveClients { get; set; } = 200;

    /// <summary>
    /// A calibration change that scales a node's readings by more than this factor (either way) is refused unless the
    /// request carries a technician's calibration record (reference solution, measured value, technician).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1.01, 10.0)]
    public double MaxCalibrationFactor { get; set; } = 1.25;

    /// <summary>
    /// Wrong operator tokens from one address within 10 minutes before that address is banned from the operator API
    /// (the first ban 60 s, doubling with each new one up to 6 h). Banned requests are answered 429 without touching the
    /// store, so a flood of wrong tokens costs neither readings nor audit rows.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1000)]
    public int BanAfterFailedLogins { get; set; } = 10;
}
