using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Options;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>
/// The gateway's SQLite database: WAL with synchronous=FULL, so a commit that returned survives kill -9 and power
/// loss. One write connection behind a lock (SQLite has one writer anyway); reads use pooled connections, which WAL
/// lets run beside the writer. A file that is not ours or is damaged fails loudly with its path and what to do:
/// there is no fall-back to memory.
/// </summary>
public sealed class EdgeDatabase : IDisposable
{
    /// <summary>'ESGW' in PRAGMA application_id marks a file as an EdgeSensors gateway database.</summary>
    public const int ApplicationId = 0x45534757;

    /// <summary>
    /// 2: readings in typed columns (each field an integer at the protocol's fixed decimals, NULL when absent), nodes
    /// as small integers, the uplink checkpoint as one cursor row; 1 (first release): JSON text per reading and a
    /// forwarded flag per row, upgraded in place on first start.
    /// </summary>
    /// <summary>Schema 4: SMS subscriptions (phone, station, crop, consent time) and the text log (issue 18).</summary>
    private const string SmsDdl = """
        CREATE TABLE IF NOT EXISTS sms_subscriptions(phone TEXT NOT NULL, node TEXT NOT NULL, profile TEXT NOT NULL,
            consent_at INTEGER NOT NULL, source TEXT NOT NULL, PRIMARY KEY(phone, node));
        CREATE TABLE IF NOT EXISTS sms_messages(id INTEGER PRIMARY KEY, phone TEXT NOT NULL, node TEXT, kind TEXT NOT NULL,
            text TEXT NOT NULL, segments INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT, reference TEXT,
            created INTEGER NOT NULL, due INTEGER NOT NULL, updated INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS sms_messages_state ON sms_messages(state, due);
        CREATE INDEX IF NOT EXISTS sms_messages_phone ON sms_messages(phone, created);
        """;

    public const int SchemaVersion = 4;

    /// <summary>The readings table and what goes with it, schema 3 (nts: the node's own time of a sample whose time was implausible).</summary>
    internal const string ReadingsDdl = """
        CREATE TABLE IF NOT EXISTS node_keys(no INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS readings(
            id INTEGER PRIMARY KEY,
            node INTEGER NOT NULL, boot INTEGER NOT NULL, seq INTEGER NOT NULL,
            ts INTEGER NOT NULL, rx INTEGER NOT NULL, sync INTEGER NOT NULL,
            sal INTEGER, ec INTEGER, wt INTEGER, lvl INTEGER, ap INTEGER, at INTEGER, rh INTEGER,
            nts INTEGER,
            UNIQUE(node, boot, seq));
        CREATE INDEX IF NOT EXISTS readings_by_node ON readings(node, id);
        CREATE TABLE IF NOT EXISTS uplink_cursor(id INTEGER PRIMARY KEY CHECK (id = 1), through INTEGER NOT NULL);
        INSERT OR IGNORE INTO uplink_cursor(id, through) VALUES(1, 0);
        """;

    /// <summary>Column of each reading field, wire order (<see cref="EdgeSensors.Node.Samples.Reading.FieldNames"/>).</summary>
    internal static readonly string[] FieldColumns = ["sal", "ec", "wt", "lvl", "ap", "at", "rh"];

    /// <summary>10^decimals of each field: the stored integer is the value times this.</summary>
    internal static readonly double[] FieldScale = EdgeSensors.Node.Samples.Reading.FieldDecimals.Select(d => Math.Pow(10, d)).ToArray();

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SqliteConnection _write;
    private readonly string _connectionString;

    public EdgeDatabase(IOptions<GatewayOptions> options)
        : this(System.IO.Path.Combine(options.Value.DataDirectory, "edgesensors.db"))
    {
    }

    /// <summary>
    /// The store holds node secrets' hashes, accounts and the audit: readable by the gateway's user only, whatever the
    /// folder's mode or the umask (outside systemd the umask is often 022). A new file is created with mode 0600 before
    /// SQLite opens it (SQLite gives its -wal and -shm files the database's mode); an existing one is set to 0600.
    /// </summary>
    private static void OwnerOnly(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(file))
        {
            if (!file.EndsWith(".db", StringComparison.Ordinal))
            {
                return;
            }

            using (new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
            {
            }

            return;
        }

        if (File.GetUnixFileMode(file) != mode)
        {
            File.SetUnixFileMode(file, mode);
        }
    }

    public EdgeDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        bool existed = File.Exists(Path) && new FileInfo(Path).Length > 0;
        OwnerOnly(Path);
        try
        {
            _write = new SqliteConnection(_connectionString);
            _write.Open();
            Execute(_write, "PRAGMA busy_timeout = 10000;");
            long appId = Scalar(_write, "PRAGMA application_id;");
            long tables = Scalar(_write, "SELECT count(*) FROM sqlite_master;");
            if (existed && appId != ApplicationId && tables > 0)
            {
                throw new StoreOpenException(
                    $"{Path} is an SQLite database of another program (application_id {appId}), not an EdgeSensors gateway store. "
                    + "Point Gateway:DataDirectory at the gateway's own folder, or move this file away.");
            }

            string mode = ScalarText(_write, "PRAGMA journal_mode = WAL;");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new StoreOpenException($"{Path}: the filesystem refused WAL mode ({mode}); put the data folder on a local disk.");
            }

            Execute(_write, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
            OwnerOnly(Path + "-wal");
            OwnerOnly(Path + "-shm");
            CreateSchema();
            string check = ScalarText(_write, "PRAGMA quick_check(1);");
            if (check != "ok")
            {
                throw new StoreOpenException(
                    $"{Path} is damaged ({check}). Stop the gateway, copy the file aside for recovery (sqlite3 {Path} \".recover\"), then start with an empty data folder; nodes keep unsent readings in their own outboxes.");
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26 or 11)
        {
            _write?.Dispose();
            throw new StoreOpenException(
                $"{Path} is not a readable EdgeSensors database ({ex.Message}). It is damaged or not a database at all. "
                + "Move it aside (keep it for recovery with sqlite3 \".recover\") and start again with an empty data folder.",
                ex);
        }
        catch (StoreOpenException)
        {
            _write?.Dispose();
            throw;
        }
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Runs <paramref name="work"/> with the write connection, one writer at a time.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken ct = default)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return work(_write);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>A new pooled connection for reads (dispose it).</summary>
    public SqliteConnection OpenRead()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        Execute(c, "PRAGMA busy_timeout = 10000;");
        return c;
    }

    /// <summary>Bytes of live data (pages in use × page size): what the budget counts.</summary>
    public long UsedBytes()
    {
        using SqliteConnection c = OpenRead();
        long pages = Scalar(c, "PRAGMA page_count;");
        long free = Scalar(c, "PRAGMA freelist_count;");
        long size = Scalar(c, "PRAGMA page_size;");
        return (pages - free) * size;
    }

    public void Dispose()
    {
        _write.Dispose();
        _writeLock.Dispose();
    }

    internal static void Execute(SqliteConnection c, string sql, SqliteTransaction? tx = null)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    internal static long Scalar(SqliteConnection c, string sql)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string ScalarText(SqliteConnection c, string sql)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
    }

    private void CreateSchema()
    {
        long version = Scalar(_write, "PRAGMA user_version;");
        if (version > SchemaVersion)
        {
            throw new StoreOpenException($"{Path} was written by a newer gateway (schema {version}, this one knows {SchemaVersion}). Upgrade the gateway; do not downgrade over its data.");
        }

        if (version == SchemaVersion)
        {
            return;
        }

        using SqliteTransaction tx = _write.BeginTransaction();
        Execute(_write, $"""
            PRAGMA application_id = {ApplicationId};
            CREATE TABLE IF NOT EXISTS nodes(
                id TEXT PRIMARY KEY,
                secret_salt BLOB NOT NULL,
                secret_hash BLOB NOT NULL,
                lat REAL, lon REAL, place TEXT, notes TEXT,
                created INTEGER NOT NULL,
                config TEXT, config_rev INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS outbound(
                id INTEGER PRIMARY KEY, kind TEXT NOT NULL, node TEXT, payload TEXT NOT NULL, created INTEGER NOT NULL, sent INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS node_status(node TEXT PRIMARY KEY, online INTEGER NOT NULL, payload TEXT NOT NULL, updated INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS quarantine(
                id INTEGER PRIMARY KEY, rx INTEGER NOT NULL, client TEXT, topic TEXT, reason TEXT NOT NULL, payload BLOB);
            CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
            {SmsDdl}
            """, tx);
        if (version == 1)
        {
            UpgradeFrom1(tx);
        }
        else if (version == 2)
        {
            // 2 → 3: one nullable column, no rewrite of the rows.
            Execute(_write, "ALTER TABLE readings ADD COLUMN nts INTEGER;", tx);
        }
        else if (version == 3)
        {
            // 3 → 4: the SMS tables only (made above); no reading is touched.
        }
        else
        {
            Execute(_write, ReadingsDdl, tx);
        }

        Execute(_write, $"PRAGMA user_version = {SchemaVersion};", tx);
        tx.Commit();
    }

    /// <summary>
    /// Schema 1 → 2 in one transaction, keeping every reading and its id: fields out of the JSON text into integer
    /// columns at the protocol's decimals, node ids into node_keys, and the per-row forwarded flags into the cursor —
    /// the end of the longest forwarded prefix, so readings forwarded out of order above it are sent again (the IOC
    /// keeps each (node, boot, seq) once) and none unforwarded is skipped.
    /// </summary>
    private void UpgradeFrom1(SqliteTransaction tx)
    {
        string[] paths = EdgeSensors.Node.Samples.Reading.FieldNames;
        string columns = string.Join(", ", FieldColumns);
        string values = string.Join(", ", paths.Select((f, i) => $"CAST(round(json_extract(r.r, '$.{f}') * {FieldScale[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}) AS INTEGER)"));
        Execute(_write, $"""
            ALTER TABLE readings RENAME TO readings_v1;
            DROP INDEX IF EXISTS readings_pending;
            DROP INDEX IF EXISTS readings_by_node;
            DROP INDEX IF EXISTS readings_by_rx;
            {ReadingsDdl}
            INSERT INTO node_keys(id) SELECT DISTINCT node FROM readings_v1 ORDER BY node;
            INSERT INTO readings(id, node, boot, seq, ts, rx, sync, {columns})
                SELECT r.id, k.no, r.boot, r.seq, r.ts, r.rx, r.sync, {values}
                FROM readings_v1 r JOIN node_keys k ON k.id = r.node ORDER BY r.id;
            UPDATE uplink_cursor SET through = coalesce(
                (SELECT min(id) - 1 FROM readings_v1 WHERE forwarded = 0),
                (SELECT coalesce(max(id), 0) FROM readings_v1));
            DROP TABLE readings_v1;
            """, tx);
    }
}
