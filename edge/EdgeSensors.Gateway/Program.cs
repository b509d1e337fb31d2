using EdgeSensors.Gateway.Admin;
using EdgeSensors.Gateway.Hosting;
using EdgeSensors.Gateway.Store;
using Prometheus;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddGatewayOptions();
builder.Services.AddEdgeStore().AddNodeBroker().AddIocUplink().AddOperatorApi();
WebApplication app = builder.Build();
try
{
    app.OpenStoreOrThrow();
}
catch (StoreOpenException ex)
{
    Console.Error.WriteLine($"EdgeSensors gateway cannot start: {ex.Message}");
    return 2;
}

app.MapGatewayEndpoints();
app.MapMetrics("/metrics", app.Services.GetRequiredService<EdgeSensors.Gateway.Observability.GatewayMetrics>().Registry);
app.LogStartupSummary();
await app.RunAsync();
return 0;
