using System.ComponentModel.DataAnnotations;

namespace EdgeSensors.Gateway.Options;

/// <summary>Who this gateway is and where it keeps its data. Section "Gateway".</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Gateway id, used as {site} towards the IOC.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,63}$", ErrorMessage = "Gateway:Site must be 1–64 lower-case letters, digits or '-'.")]
    public string Site { get; set; } = "hg-gateway";

    /// <summary>Folder for the database and the operator token (created if missing).</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";
}
