using EdgeSensors.Gateway.Store;
using Microsoft.Extensions.Hosting.Systemd;

namespace EdgeSensors.Gateway.Hosting;

/// <summary>
/// Tells systemd the gateway is up (READY=1, with Type=notify in deploy/edgesensors-gateway.service) and, while it is
/// healthy, that it is alive (WATCHDOG=1 at half the unit's WatchdogSec). A gateway that hangs — the store wedged, the
/// thread pool starved — stops sending, and systemd kills and restarts it, so the relay and the lights come back to
/// the start-up state instead of staying in their last one. Off when not run by systemd (no NOTIFY_SOCKET).
/// Uses Microsoft.Extensions.Hosting.Systemd's notifier (sd_notify's datagram protocol), not a hand-written socket.
/// </summary>
public sealed partial class SystemdWatchdog : BackgroundService
{
    private readonly SystemdNotifier _notifier;
    private readonly IUplinkBacklog _store;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<SystemdWatchdog> _log;

    public SystemdWatchdog(IUplinkBacklog store, IHostApplicationLifetime lifetime, ILogger<SystemdWatchdog> log)
    {
        _notifier = new SystemdNotifier();
        _store = store;
        _lifetime = lifetime;
        _log = log;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_notifier.IsEnabled)
        {
            return;
        }

        await WaitStartedAsync(stoppingToken).ConfigureAwait(false);
        _notifier.Notify(new ServiceState("READY=1"));
        TimeSpan? interval = WatchdogInterval();
        LogReady(interval?.TotalSeconds ?? 0);
        if (interval is not { } every)
        {
            return;
        }

        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (Healthy())
                {
                    _notifier.Notify(new ServiceState("WATCHDOG=1"));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        if (_notifier.IsEnabled)
        {
            _notifier.Notify(ServiceState.Stopping);
        }

        return base.StopAsync(cancellationToken);
    }

    /// <summary>Half of WATCHDOG_USEC, as sd_watchdog_enabled(3) advises; null when the unit has no watchdog.</summary>
    private static TimeSpan? WatchdogInterval()
    {
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (pid != null && pid != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return null;
        }

        return long.TryParse(usec, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long us) && us > 0
            ? TimeSpan.FromMicroseconds(us / 2.0)
            : null;
    }

    /// <summary>The store answers a read (a wedged store or a full thread pool would not get here at all).</summary>
    private bool Healthy()
    {
        try
        {
            _ = _store.Backlog();
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException)
        {
            LogUnhealthy(ex.Message);
            return false;
        }
    }

    private async Task WaitStartedAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration a = _lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using CancellationTokenRegistration b = ct.Register(() => started.TrySetCanceled(ct));
        await started.Task.ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Told systemd the gateway is ready; watchdog every {Seconds} s (0: none)")]
    private partial void LogReady(double seconds);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Watchdog withheld: the store does not answer ({Reason})")]
    private partial void LogUnhealthy(string reason);
}
