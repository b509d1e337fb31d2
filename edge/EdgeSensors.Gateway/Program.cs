using EdgeSensors.Gateway.Admin;
using EdgeSensors.Gateway.Hosting;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Web;
using Prometheus;
using EdgeSensors.Gateway.Storage.Sqlite;

WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot") });
builder.AddGatewayOptions();
if (!builder.AddGatewayCertificates(out string? tlsProblem))
{
    Console.Error.WriteLine($"EdgeSensors gateway cannot start: {tlsProblem}");
    return 2;
}

if (!builder.AddGatewayEndpoints(out string? urlsProblem))
{
    Console.Error.WriteLine($"EdgeSensors gateway cannot start: {urlsProblem}");
    return 2;
}

// The farmers' page and its public data compressed (issue 30: 343 KB → ~80 KB for 12 stations on a 3G link). Over
// HTTPS too: those answers carry no secret (BREACH needs one beside attacker-chosen text); the operator API, which
// does, is left out below.
builder.Services.AddResponseCompression(o =>
{
    o.EnableForHttps = true;
    o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProvider>();
    o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProvider>();
});
builder.Services.AddEdgeStore().AddNodeBroker().AddIocUplink().AddAlerts().AddSms().AddOperatorApi().AddSystemdWatchdog();
if (args.Length > 0 && args[0] == "init")
{
    // deploy/install.sh: make the CA, the server certificate and the operator token, then exit.
    WebApplication init = builder.Build();
    Console.WriteLine(init.Services.GetRequiredService<EdgeSensors.Gateway.Transport.GatewayCertificates>().Summary);
    Console.WriteLine("Operator token: " + init.Services.GetRequiredService<OperatorAuth>().TokenFile);
    return 0;
}

WebApplication app = builder.Build();
try
{
    // Every option marked ValidateOnStart, checked here so a wrong one ends in one line (not the host's stack trace).
    app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
    app.OpenStoreOrThrow();
    app.Services.GetRequiredService<OperatorAuth>(); // the token file exists (or the configuration is refused) before anything listens
}
catch (Exception ex) when (ex is StoreOpenException or Microsoft.Extensions.Options.OptionsValidationException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"EdgeSensors gateway cannot start: {ex.Message}");
    return 2;
}

app.UseMiddleware<SecurityGate>();
app.UseAuthentication();
app.UseAuthorization();
app.UseWhen(
    ctx => !ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || PublicEndpoints.IsPublicData(ctx.Request.Path),
    branch => branch.UseResponseCompression());
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapGatewayEndpoints();
app.MapSmsEndpoints();
app.MapPublicEndpoints();
app.MapOpenApi();
app.MapMetrics("/metrics", app.Services.GetRequiredService<EdgeSensors.Gateway.Observability.GatewayMetrics>().Registry);
app.LogStartupSummary();
try
{
    await app.RunAsync();
}
catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // One line, not a stack trace: the usual cause is a second gateway (or the demo) still running.
    Console.Error.WriteLine($"EdgeSensors gateway cannot start: {ex.Message} Is another gateway running? Stop it, or choose other ports (--Urls=…, --Broker:TlsPort=…).");
    return 2;
}
catch (Microsoft.Extensions.Options.OptionsValidationException ex)
{
    // Options validated at start (ValidateOnStart) fail inside RunAsync: one line naming the option, not a stack trace.
    Console.Error.WriteLine($"EdgeSensors gateway cannot start: {ex.Message}");
    return 2;
}

return 0;
