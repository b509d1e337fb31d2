using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.UseCases;
using Microsoft.Data.Sqlite;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>The SQLite adapter of <see cref="ICalibrationBaselines"/>: one row per node, in its own table.</summary>
public sealed class CalibrationBaselineStore : ICalibrationBaselines
{
    private readonly EdgeDatabase _db;

    public CalibrationBaselineStore(EdgeDatabase db)
    {
        _db = db;
        _db.WriteAsync(c =>
        {
            EdgeDatabase.Execute(c, "CREATE TABLE IF NOT EXISTS calibration_baselines(node TEXT PRIMARY KEY, calibration TEXT NOT NULL, at INTEGER NOT NULL);");
            return 0;
        }).GetAwaiter().GetResult();
    }

    public string? Find(string node)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT calibration FROM calibration_baselines WHERE node = $n";
        cmd.Parameters.AddWithValue("$n", node);
        return cmd.ExecuteScalar() as string;
    }

    public Task SaveAsync(string node, string calibrationJson, CancellationToken ct) => _db.WriteAsync(c =>
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO calibration_baselines(node, calibration, at) VALUES($n, $c, $t) ON CONFLICT(node) DO UPDATE SET calibration = excluded.calibration, at = excluded.at";
        cmd.Parameters.AddWithValue("$n", node);
        cmd.Parameters.AddWithValue("$c", calibrationJson);
        cmd.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return cmd.ExecuteNonQuery();
    }, ct);
}
