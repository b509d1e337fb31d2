// Compile-only shim of nanoFramework.System.Device.Wifi 1.5.133 (package nanoFramework.System.Device.Wifi): WifiReconnectionKind as in the library. Shared with the simulated board
// (firmware/EdgeSensors.Device.Simulator links this file), so each value is transcribed once. No behaviour; never deployed.
// Transcribes: nanoFramework.System.Device.Wifi 1.5.133
namespace System.Device.Wifi
{
    public enum WifiReconnectionKind
    {
        Automatic = 0,
        Manual = 1,
    }
}
