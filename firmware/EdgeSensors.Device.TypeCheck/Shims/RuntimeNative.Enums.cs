// Compile-only shim of nanoFramework.Runtime.Native 1.7.11 (package nanoFramework.Runtime.Native): RebootOption as in the library's RebootOption.cs. Shared with the simulated board
// (firmware/EdgeSensors.Device.Simulator links this file), so each value is transcribed once. No behaviour; never deployed.
// Transcribes: nanoFramework.Runtime.Native 1.7.11
namespace nanoFramework.Runtime.Native
{
    // RebootOption.cs: not [Flags]; value 4 is reserved ("can't use option value 4").
    public enum RebootOption
    {
        NormalReboot = 0,
        EnterNanoBooter = 1,
        ClrOnly = 2,
        EnterProprietaryBooter = 8,
    }
}
