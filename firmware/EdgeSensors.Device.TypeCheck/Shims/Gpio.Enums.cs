// Compile-only shim of nanoFramework.System.Device.Gpio 1.1.57 (package nanoFramework.System.Device.Gpio): PinMode and PinNumberingScheme as in the library. Shared with the simulated board
// (firmware/EdgeSensors.Device.Simulator links this file), so each value is transcribed once. No behaviour; never deployed.
// Transcribes: nanoFramework.System.Device.Gpio 1.1.57
namespace System.Device.Gpio
{
    public enum PinMode
    {
        Input = 0,
        InputPullDown = 1,
        InputPullUp = 2,
        Output = 3,
    }

    public enum PinNumberingScheme
    {
        Logical = 0,
        Board = 1,
    }
}
