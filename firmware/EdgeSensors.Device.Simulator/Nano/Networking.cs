// Executable nanoFramework.System.Device.Wifi 1.5.133 (WifiNetworkHelper and the scan report) and
// nanoFramework.Networking.Sntp 1.6.42 on the simulated board. Joining takes a scan and DHCP's time; an access point
// out of range or a wrong password fails after the scan. SNTP asks its servers in the background; only a server the
// node can reach answers (the board's NtpHosts), and its answer sets the RTC.
using System;
using System.Threading;
using EdgeSensors.Device.Simulator.Board;

namespace System.Device.Wifi
{
    public sealed class WifiAdapter : IDisposable
    {
        internal WifiAdapter(WifiNetworkReport report)
        {
            NetworkReport = report;
        }

        public WifiNetworkReport NetworkReport { get; }

        public void Dispose()
        {
        }
    }

    public class WifiNetworkReport
    {
        internal WifiNetworkReport(WifiAvailableNetwork[] networks)
        {
            AvailableNetworks = networks;
        }

        public WifiAvailableNetwork[] AvailableNetworks { get; }
    }

    public class WifiAvailableNetwork
    {
        internal WifiAvailableNetwork(string ssid, double rssi)
        {
            Ssid = ssid;
            NetworkRssiInDecibelMilliwatts = rssi;
        }

        public string Ssid { get; }

        public double NetworkRssiInDecibelMilliwatts { get; }
    }
}

namespace nanoFramework.Networking
{
    using System.Device.Wifi;

    public static class WifiNetworkHelper
    {
        private const long ScanMs = 2500;
        private const long JoinMs = 1500;

        /// <summary>The adapter with this run's last scan report (the padded 33-byte SSIDs of the native report).</summary>
        public static WifiAdapter WifiAdapter => BoardRun.Live.LastScan as WifiAdapter ?? new WifiAdapter(new WifiNetworkReport(new WifiAvailableNetwork[0]));

        public static bool ConnectDhcp(string ssid, string password, WifiReconnectionKind reconnectionKind = WifiReconnectionKind.Automatic, bool requiresDateTime = false, int wifiAdapter = 0, CancellationToken token = default)
            => Join(ssid, password, requiresDateTime, scan: false, token);

        public static bool ScanAndConnectDhcp(string ssid, string password, WifiReconnectionKind reconnectionKind = WifiReconnectionKind.Automatic, bool requiresDateTime = false, int wifiAdapter = 0, CancellationToken token = default)
            => Join(ssid, password, requiresDateTime, scan: true, token);

        private static bool Join(string ssid, string password, bool requiresDateTime, bool scan, CancellationToken token)
        {
            BoardRun run = BoardRun.Live;
            SimulatedBoard board = run.Board;
            board.Record("wifi_join", "joining " + ssid, run);
            Wait(run, ScanMs, token);
            if (scan)
            {
                run.LastScan = new WifiAdapter(new WifiNetworkReport(board.WifiInRange
                    ? new[] { new WifiAvailableNetwork(board.WifiSsid.PadRight(33, '\0'), board.WifiRssiDbm) }
                    : new WifiAvailableNetwork[0]));
            }

            if (!board.WifiInRange || ssid != board.WifiSsid || password != board.WifiPassword || token.IsCancellationRequested)
            {
                board.Record("wifi_fail", !board.WifiInRange || ssid != board.WifiSsid ? "no access point named " + ssid : "authentication failed", run);
                return false;
            }

            Wait(run, JoinMs, token);
            if (!board.WifiInRange || token.IsCancellationRequested)
            {
                board.Record("wifi_fail", "lost during DHCP", run);
                return false;
            }

            run.WifiJoined = true;
            board.Record("wifi_up", "IP by DHCP", run);
            while (requiresDateTime && !board.Clock.RtcSet)
            {
                if (token.IsCancellationRequested)
                {
                    return false;
                }

                run.Sleep(100);
            }

            return true;
        }

        private static void Wait(BoardRun run, long boardMs, CancellationToken token)
        {
            long until = run.Board.Clock.TickCount64 + boardMs;
            while (run.Board.Clock.TickCount64 < until && !token.IsCancellationRequested)
            {
                run.Sleep(50);
            }
        }
    }

    public class Sntp
    {
        /// <summary>Board time an SNTP exchange takes on the LAN.</summary>
        private const int ExchangeMs = 400;

        public static bool IsStarted => BoardRun.Live.SntpStarted;

        public static string Server1
        {
            get => BoardRun.Live.SntpServer1;
            set => BoardRun.Live.SntpServer1 = value;
        }

        public static string Server2
        {
            get => BoardRun.Live.SntpServer2;
            set => BoardRun.Live.SntpServer2 = value;
        }

        public static void Start()
        {
            BoardRun run = BoardRun.Live;
            run.SntpStarted = true;
            Query(run);
        }

        public static void Stop() => BoardRun.Live.SntpStarted = false;

        public static void UpdateNow()
        {
            BoardRun run = BoardRun.Live;
            if (run.SntpStarted)
            {
                Query(run);
            }
        }

        private static void Query(BoardRun run)
        {
            SimulatedBoard board = run.Board;
            System.Threading.Timer? timer = null;
            timer = new System.Threading.Timer(
                _ =>
                {
                    timer?.Dispose();
                    if (run.Halt != HaltKind.None || !run.SntpStarted || !run.WifiJoined || !board.NtpAnswers)
                    {
                        return;
                    }

                    string? server = board.NtpHosts.Contains(run.SntpServer1) ? run.SntpServer1 : board.NtpHosts.Contains(run.SntpServer2) ? run.SntpServer2 : null;
                    if (server != null)
                    {
                        board.Clock.SetRtc(DateTime.UtcNow);
                        board.Record("sntp", "clock set by " + server, run);
                    }
                },
                null,
                board.Clock.HostMs(ExchangeMs),
                Timeout.Infinite);
        }
    }
}
