using System.Text.Json;
using EdgeSensors.Gateway.Admin;
using EdgeSensors.Gateway.Broker;
using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Uplink;
using Microsoft.Extensions.Options;
using EdgeSensors.Gateway.Storage.Sqlite;
using EdgeSensors.Gateway.Uplink.Mqtt;

namespace EdgeSensors.Gateway.Hosting;

/// <summary>One extension per concern, so Program.cs stays a dozen lines.</summary>
public static class GatewayHostExtensions
{
    public static WebApplicationBuilder AddGatewayOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.Section).ValidateDataAnnotations()
            .Validate(o => System.Net.IPAddress.TryParse(o.BindAddress, out _), "Broker:BindAddress must be an IP address such as 0.0.0.0")
            .Validate(o => o.TlsCertificatePath == null || File.Exists(o.TlsCertificatePath), "Broker:TlsCertificatePath names a file that does not exist")
            .ValidateOnStart();
        builder.Services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<UplinkOptions>().BindConfiguration(UplinkOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.CaCertificatePath == null || File.Exists(o.CaCertificatePath), "Uplink:CaCertificatePath names a file that does not exist")
            .Validate(o => o.ClientCertificatePath == null || File.Exists(o.ClientCertificatePath), "Uplink:ClientCertificatePath names a file that does not exist")
            .Validate(o => o.TelemetryTopic.Contains("{node}", StringComparison.Ordinal), "Uplink:TelemetryTopic must contain {node}")
            .Validate(o => !o.CredentialsInClear || o.AllowPlaintextCredentials, "Uplink: a username/password would be sent to the IOC without TLS. Set Uplink:Tls=true (with Uplink:CaCertificatePath for a private CA), or Uplink:AllowPlaintextCredentials=true on a lab network only")
            .Validate(o => o.PasswordFile == null || File.Exists(o.PasswordFile), "Uplink:PasswordFile names a file that does not exist")
            .Validate(o => !o.IsIotHub || o.IotHub.IsConfigured, "Uplink:Kind is iothub but Uplink:IotHub:ConnectionString (or Uplink:IotHub:ConnectionStringFile) is not set: give the gateway's device connection string, HostName=…;DeviceId=…;SharedAccessKey=…")
            .Validate(o => o.IsIotHub || !o.IotHub.IsConfigured, "Uplink:IotHub:ConnectionString is set but Uplink:Kind is mqtt: set Uplink:Kind=iothub to use Azure IoT Hub")
            .Validate(o => o.IotHub.ConnectionStringFile == null || File.Exists(o.IotHub.ConnectionStringFile), "Uplink:IotHub:ConnectionStringFile names a file that does not exist")
            .Validate(o => !o.IsIotHub || !o.IotHub.IsConfigured || IotHubConnectionString.TryParse(o.IotHub.EffectiveConnectionString, out _) != null, "Uplink:IotHub:ConnectionString is not a device connection string (HostName=…;DeviceId=…;SharedAccessKey=… with a base64 key)")
            .Validate(o => !o.IsIotHub || (string.IsNullOrEmpty(o.Username) && string.IsNullOrEmpty(o.Password) && string.IsNullOrEmpty(o.PasswordFile)), "Uplink:Username and Uplink:Password are not used with IoT Hub: the gateway signs SAS tokens from Uplink:IotHub:ConnectionString")
            .Validate(o => o.PinnedCertificateSha256 == null || o.PinnedCertificateSha256.Replace(":", string.Empty, StringComparison.Ordinal).Length == 64, "Uplink:PinnedCertificateSha256 must be 64 hex digits")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<UplinkOptions>, UplinkOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<Sms.Gammu.SmsOptions>, SmsdConfigValidator>();
        builder.Services.AddOptions<Sms.Gammu.SmsOptions>().BindConfiguration(Sms.Gammu.SmsOptions.Section).ValidateDataAnnotations()
            .Validate(o => !o.Enabled || File.Exists(o.SmsdConfigPath), "Sms:SmsdConfigPath names no file: give gammu-smsd's configuration (deploy/gammu-smsdrc.example)")
            .Validate(o => o.QuietFromHour != o.QuietUntilHour || o.QuietFromHour == 0, "Sms:QuietFromHour and Sms:QuietUntilHour must differ (or both 0: no quiet hours)")
            .ValidateOnStart();
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        builder.Services.AddOptions<UseCases.IocAuthorityOptions>().BindConfiguration(UseCases.IocAuthorityOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.MinIntervalSeconds <= o.MaxIntervalSeconds, "IocAuthority:MinIntervalSeconds must not exceed MaxIntervalSeconds.").ValidateOnStart();
        builder.Services.AddOptions<Soc.SyslogOptions>().BindConfiguration(Soc.SyslogOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<Alerts.AlertOptions>().BindConfiguration(Alerts.AlertOptions.Section).ValidateDataAnnotations()
            .Validate(o => Alerts.CropProfiles.Find(Alerts.CropProfiles.Defaults.Concat(o.Profiles.Select(p => p.ToProfile())), o.DefaultProfile) != null, "Alerts:DefaultProfile names no known profile")
            .Validate(o => o.Profiles.All(p => p.Id.Length > 0 && p.Watch <= p.Warning && p.Warning <= p.Danger), "Alerts:Profiles need an Id and Watch ≤ Warning ≤ Danger")
            .Validate(o => o.Outlook.Problem() == null, "Alerts:Outlook: ClearProbability must be below RaiseProbability, and each river a chain of two or more nodes, each on one river")
            .ValidateOnStart();
        builder.Services.AddOptions<Alerts.SamplingOptions>().BindConfiguration(Alerts.SamplingOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.FastSeconds <= o.DrySeasonSeconds && o.DrySeasonSeconds <= o.NormalSeconds * 4, "Sampling:FastSeconds must not exceed DrySeasonSeconds")
            .ValidateOnStart();
        builder.Services.AddOptions<Gpio.GpioOptions>().BindConfiguration(Gpio.GpioOptions.Section).ValidateDataAnnotations()
            .Validate(o => new[] { o.GreenPin, o.AmberPin, o.RedPin, o.BuzzerPin, o.RelayPin, o.SilenceButtonPin }.Distinct().Count() == 6, "Gpio pins must all be different")
            .ValidateOnStart();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        return builder;
    }

    /// <summary>
    /// The gateway's CA and server certificate ({DataDirectory}/tls, made on first start): the node listener's TLS
    /// and Kestrel's HTTPS default, so the operator API has HTTPS without anyone configuring it.
    /// </summary>
    public static bool AddGatewayCertificates(this WebApplicationBuilder builder, out string? problem)
    {
        string dataDir = builder.Configuration["Gateway:DataDirectory"] is { Length: > 0 } d ? d : "data";
        string site = builder.Configuration["Gateway:Site"] is { Length: > 0 } s ? s : "hg-gateway";
        Transport.GatewayCertificates certificates;
        try
        {
            certificates = Transport.GatewayCertificates.Ensure(dataDir, site, DateTimeOffset.UtcNow);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            problem = ex.Message;
            return false;
        }

        builder.Services.AddSingleton(certificates);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ConfigureHttpsDefaults(h =>
            {
                h.ServerCertificate = certificates.Server;
                h.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
            });
            k.AddServerHeader = false;
        });
        problem = null;
        return true;
    }

    public static IServiceCollection AddEdgeStore(this IServiceCollection services) => services.AddSqliteEdgeStore();

    /// <summary>READY and WATCHDOG notifications to systemd (deploy/edgesensors-gateway.service: Type=notify, WatchdogSec).</summary>
    public static IServiceCollection AddSystemdWatchdog(this IServiceCollection services) => services.AddHostedService<SystemdWatchdog>();

    public static IServiceCollection AddNodeBroker(this IServiceCollection services)
    {
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton<Security.SecurityEvents>(services);
        services.AddSingleton<Soc.SocSyslogForwarder>();
        services.AddHostedService(sp => sp.GetRequiredService<Soc.SocSyslogForwarder>());
        services.AddSingleton(sp =>
        {
            BrokerOptions b = sp.GetRequiredService<IOptions<BrokerOptions>>().Value;
            return new UseCases.ReadingIntake(sp.GetRequiredService<IReadingWriter>(), sp.GetRequiredService<IQuarantine>(), sp.GetRequiredService<Observability.GatewayMetrics>(),
                sp.GetRequiredService<ILogger<UseCases.ReadingIntake>>(), new UseCases.IntakeLimits(b.MaxPayloadBytes, b.MaxFutureSkewSeconds, b.EarliestPlausibleTs));
        });
        services.AddSingleton<NodeBroker>();
        services.AddSingleton<Alerts.INodeStatusFeed>(sp => sp.GetRequiredService<NodeBroker>());
        services.AddHostedService(sp => sp.GetRequiredService<NodeBroker>());
        return services;
    }

    public static IServiceCollection AddIocUplink(this IServiceCollection services)
    {
        services.AddSingleton<UseCases.NodeConfiguration>(sp => new UseCases.NodeConfiguration(
            sp.GetRequiredService<INodeDirectory>(),
            sp.GetRequiredService<NodeBroker>(),
            sp.GetRequiredService<IAuditLog>(),
            sp.GetRequiredService<IOptions<UseCases.IocAuthorityOptions>>(),
            sp.GetRequiredService<IOptions<AdminOptions>>().Value.MaxCalibrationFactor,
            sp.GetRequiredService<UseCases.ICalibrationBaselines>()));
        services.AddSingleton<Uplink.IotHub.ICloudCommandHandler, Admin.CloudCommandHandler>();
        services.AddSingleton<IIocUplink>(sp => sp.GetRequiredService<IOptions<UplinkOptions>>().Value.IsIotHub
            ? ActivatorUtilities.CreateInstance<Uplink.IotHub.IotHubUplink>(sp)
            : ActivatorUtilities.CreateInstance<MqttIocUplink>(sp));
        services.AddSingleton<UplinkForwarder>();
        services.AddHostedService(sp => sp.GetRequiredService<UplinkForwarder>());
        return services;
    }

    /// <summary>Names what is wrong in gammu-smsd's configuration (a fixed message could not).</summary>
    private sealed class SmsdConfigValidator : IValidateOptions<Sms.Gammu.SmsOptions>
    {
        public ValidateOptionsResult Validate(string? name, Sms.Gammu.SmsOptions options) =>
            SmsdConfigProblem(options) is { } problem ? ValidateOptionsResult.Fail($"Sms:SmsdConfigPath: {problem}") : ValidateOptionsResult.Success;
    }

    private static string? SmsdConfigProblem(Sms.Gammu.SmsOptions o)
    {
        if (!o.Enabled || !File.Exists(o.SmsdConfigPath))
        {
            return null;
        }

        try
        {
            _ = new Sms.Gammu.GammuSmsd(o.SmsdConfigPath, o.InjectCommand);
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    public static IServiceCollection AddSms(this IServiceCollection services)
    {
        services.AddSingleton<Sms.Gammu.SmsService>();
        services.AddHostedService(sp => sp.GetRequiredService<Sms.Gammu.SmsService>());
        return services;
    }

    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddSingleton<Alerts.LiveFeed>();
        services.AddSingleton<Alerts.AlertEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<Alerts.AlertEngine>());
        services.AddHostedService<UseCases.AdaptiveSampling>();
        services.AddSingleton<Gpio.SignalService>();
        services.AddHostedService(sp => sp.GetRequiredService<Gpio.SignalService>());
        return services;
    }

    public static IServiceCollection AddOperatorApi(this IServiceCollection services)
    {
        services.AddSingleton<OperatorAuth>();
        services.AddAuthentication(OperatorTokenHandler.SchemeName).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, OperatorTokenHandler>(OperatorTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicies.Any, p => p.RequireRole(Store.OperatorRoles.Admin, Store.OperatorRoles.Technician, Store.OperatorRoles.Operator))
            .AddPolicy(OperatorPolicies.Technician, p => p.RequireRole(Store.OperatorRoles.Admin, Store.OperatorRoles.Technician))
            .AddPolicy(OperatorPolicies.Admin, p => p.RequireRole(Store.OperatorRoles.Admin));
        return services;
    }

    /// <summary>Opens the store before anything listens, so a damaged file stops the gateway with a clear message.</summary>
    public static void OpenStoreOrThrow(this WebApplication app) => app.Services.GetRequiredService<EdgeDatabase>();

    /// <summary>A readable start-up summary once everything listens.</summary>
    public static void LogStartupSummary(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            IServiceProvider sp = app.Services;
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeSensors.Gateway");
            GatewayOptions g = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            BrokerOptions b = sp.GetRequiredService<IOptions<BrokerOptions>>().Value;
            UplinkOptions u = sp.GetRequiredService<IOptions<UplinkOptions>>().Value;
            StoreOptions s = sp.GetRequiredService<IOptions<StoreOptions>>().Value;
            OperatorAuth auth = sp.GetRequiredService<OperatorAuth>();
            EdgeDatabase db = sp.GetRequiredService<EdgeDatabase>();
            log.LogInformation(
                "EdgeSensors gateway {Site} started. Nodes: MQTT with TLS on {Bind}:{Port}{Plain}, CA {Ca}. Store: {Path} (cap {MaxMb} MB, {Nodes} nodes registered). "
                + "Uplink: {Uplink}. HTTP: {Urls} (/health, /metrics, /api). Operator token: {TokenSource} ({TokenFile})",
                g.Site, b.BindAddress, b.TlsPort, b.AllowPlaintext ? $" and plain on {b.Port} (lab)" : string.Empty, sp.GetRequiredService<Transport.GatewayCertificates>().CaPath, db.Path, s.MaxBytes / (1024 * 1024), sp.GetRequiredService<INodeDirectory>().Count(),
                u.Enabled ? $"{(u.IsIotHub ? "Azure IoT Hub " : string.Empty)}{u.EffectiveHost}:{u.EffectivePort}{(u.UsesTls ? " (TLS)" : u.CredentialsInClear ? " WITHOUT TLS, credentials in clear (Uplink:AllowPlaintextCredentials)" : " without TLS, no credentials")}" : "none configured — readings are kept locally",
                sp.GetRequiredService<GatewayEndpoints.HttpUrls>().Value, auth.TokenSource, auth.TokenSource == "file" || auth.TokenSource == "generated" ? auth.TokenFile : "-");
        });
    }
}
