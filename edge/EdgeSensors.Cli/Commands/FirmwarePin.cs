namespace EdgeSensors.Cli.Commands;

/// <summary>
/// The nanoFramework firmware `node flash` installs. The interpreter refuses a managed library whose native
/// checksum differs from the firmware's (CLR_E_ASSM_WRONG_CHECKSUM), so the firmware is pinned with the package set
/// of firmware/EdgeSensors.Device/packages.config, not "whatever is newest". firmware/README.md ("Firmware pinning")
/// has the table and how the version was determined; a test holds this constant to that table. A newer firmware
/// comes only with a new, re-checked package set.
/// </summary>
public static class FirmwarePin
{
    /// <summary>The ESP32 firmware version passed to nanoff --fwversion.</summary>
    public const string Version = "1.12.4.41";
}
