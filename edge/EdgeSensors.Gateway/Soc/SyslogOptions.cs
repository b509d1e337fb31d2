using System.ComponentModel.DataAnnotations;

namespace EdgeSensors.Gateway.Soc;

/// <summary>Security events to the province's SOC as RFC 5424 syslog. Section "Soc:Syslog". Off until Host is set.</summary>
public sealed class SyslogOptions
{
    public const string Section = "Soc:Syslog";

    /// <summary>The SOC's syslog receiver (rsyslog, syslog-ng, a SIEM's collector). Empty: nothing is sent.</summary>
    public string? Host { get; set; }

    /// <summary>0: the transport's standard port (6514 for tls, 514 for tcp and udp).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>tls (RFC 5425, the default), tcp (RFC 6587 octet counting, on a trusted segment) or udp (RFC 5426).</summary>
    [RegularExpression("^(tls|tcp|udp)$", ErrorMessage = "Soc:Syslog:Transport is tls, tcp or udp")]
    public string Transport { get; set; } = "tls";

    /// <summary>PEM file of the CA that signed the SOC receiver's certificate (a private CA); else the system's trust.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>SHA-256 of the receiver's certificate (hex) to pin instead of a CA.</summary>
    public string? PinnedCertificateSha256 { get; set; }

    /// <summary>
    /// IANA private enterprise number in the structured data's id (edgesensors@N). 32473 is the number RFC 5612 reserves
    /// for documentation; a province with its own number puts it here.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int EnterpriseNumber { get; set; } = 32473;

    /// <summary>Events held while the receiver is away; beyond it the oldest are dropped and counted.</summary>
    [Range(10, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Events of one kind from one source sent one by one per minute; the rest of the minute goes as one summary.</summary>
    [Range(1, 10_000)]
    public int MaxEventsPerSourcePerMinute { get; set; } = 20;

    public int EffectivePort => Port != 0 ? Port : Transport == "tls" ? 6514 : 514;
}
