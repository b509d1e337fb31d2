using EdgeSensors.Gateway.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace EdgeSensors.Gateway.Tests.Store;

public sealed class StartupRefusalTests
{
    [Fact]
    public async Task A_damaged_database_stops_the_gateway_with_the_path_and_what_to_do()
    {
        using var dir = new TempDir();
        string db = Path.Combine(dir.Path, "edgesensors.db");
        await File.WriteAllBytesAsync(db, Enumerable.Range(0, 10000).Select(i => (byte)(i * 7)).ToArray());
        await using var gateway = new GatewayProcess(dir.Path);
        int code = await gateway.RunToExitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, code);
        Assert.Contains(db, gateway.Output, StringComparison.Ordinal);
        Assert.Contains("Move it aside", gateway.Output, StringComparison.Ordinal);
        // and it did not quietly replace the file
        Assert.Equal(10000, new FileInfo(db).Length);
    }

    [Fact]
    public async Task Another_programs_SQLite_file_is_not_taken_over()
    {
        using var dir = new TempDir();
        string db = Path.Combine(dir.Path, "edgesensors.db");
        await using (var c = new SqliteConnection($"Data Source={db};Pooling=false"))
        {
            await c.OpenAsync();
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE invoices(id INTEGER); INSERT INTO invoices VALUES (1);";
            await cmd.ExecuteNonQueryAsync();
        }

        await using var gateway = new GatewayProcess(dir.Path);
        Assert.NotEqual(0, await gateway.RunToExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("another program", gateway.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Broker:Port", "70000", "Broker")]
    [InlineData("Gateway:Site", "Bad Site!", "Gateway:Site")]
    [InlineData("Uplink:CaCertificatePath", "/nonexistent/ca.pem", "Uplink:CaCertificatePath")]
    [InlineData("Store:HistoryHighWaterPercent", "200", "HistoryHighWaterPercent")]
    public async Task Invalid_configuration_is_refused_at_start_with_a_clear_message(string key, string value, string expected)
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, extra: new Dictionary<string, string> { [key] = value });
        Assert.NotEqual(0, await gateway.RunToExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(expected, gateway.Output, StringComparison.Ordinal);
    }
}
