// Compile-only shim of nanoFramework.System.Device.Wifi 1.5.133 (WifiNetworkHelper, package nanoFramework.System.Device.Wifi)
// and nanoFramework.System.Net 1.11.43 (X509Certificate; package nanoFramework.System.Net). No behaviour; never deployed.
// SNTP: ConnectDhcp(..., requiresDateTime: true) waits until the network's time has set the clock.
// Transcribes: nanoFramework.System.Device.Wifi 1.5.133, nanoFramework.System.Net 1.11.43
using System;
using System.Threading;

namespace System.Device.Wifi
{
    public enum WifiReconnectionKind
    {
        Automatic = 0,
        Manual = 1,
    }
}

namespace nanoFramework.Networking
{
    public static class WifiNetworkHelper
    {
        public static bool ConnectDhcp(string ssid, string password, System.Device.Wifi.WifiReconnectionKind reconnectionKind, bool requiresDateTime, int wifiAdapterId, CancellationToken token) => throw new NotSupportedException();
    }
}

namespace System.Security.Cryptography.X509Certificates
{
    public class X509Certificate
    {
    }
}
