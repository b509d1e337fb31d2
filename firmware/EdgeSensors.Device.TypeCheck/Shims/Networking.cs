// Compile-only shim of nanoFramework.System.Device.Wifi 1.5.133 (WifiNetworkHelper, package nanoFramework.System.Device.Wifi)
// and nanoFramework.System.Net 1.11.43 (X509Certificate; package nanoFramework.System.Net). No behaviour; never deployed.
// WifiAdapter,
// WifiNetworkReport and WifiAvailableNetwork as in the library's System.Device.Wifi folder (the scan report the RSSI is
// read from).
// Transcribes: nanoFramework.System.Device.Wifi 1.5.133, nanoFramework.System.Net 1.11.43
using System;
using System.Threading;

namespace System.Device.Wifi
{
    public sealed class WifiAdapter : IDisposable
    {
        public WifiNetworkReport NetworkReport => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }

    public class WifiNetworkReport
    {
        public WifiAvailableNetwork[] AvailableNetworks => throw new NotSupportedException();
    }

    public class WifiAvailableNetwork
    {
        public string Ssid => throw new NotSupportedException();

        public double NetworkRssiInDecibelMilliwatts => throw new NotSupportedException();
    }
}

namespace nanoFramework.Networking
{
    public static class WifiNetworkHelper
    {
        public static System.Device.Wifi.WifiAdapter WifiAdapter => throw new NotSupportedException();

        public static bool ScanAndConnectDhcp(string ssid, string password, System.Device.Wifi.WifiReconnectionKind reconnectionKind = System.Device.Wifi.WifiReconnectionKind.Automatic, bool requiresDateTime = false, int wifiAdapter = 0, CancellationToken token = default) => throw new NotSupportedException();

        public static bool ConnectDhcp(string ssid, string password, System.Device.Wifi.WifiReconnectionKind reconnectionKind = System.Device.Wifi.WifiReconnectionKind.Automatic, bool requiresDateTime = false, int wifiAdapter = 0, CancellationToken token = default) => throw new NotSupportedException();
    }
}

namespace System.Security.Cryptography.X509Certificates
{
    public class X509Certificate
    {
        public X509Certificate()
        {
        }

        /// <summary>nanoFramework only: a certificate from its text, DER or PEM (System.Security.Cryptography.X509Certificates, X509Certificate.cs).</summary>
        public X509Certificate(string certificate) => throw new NotSupportedException();
    }
}
