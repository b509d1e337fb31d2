using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Gateway.Storage.Sqlite;

namespace EdgeSensors.Gateway.Tests.Store;

/// <summary>The store is the gateway user's alone, whatever the folder's mode (outside systemd the umask is often 022).</summary>
public sealed class StoreFileModeTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void A_new_store_and_its_journal_are_created_owner_only_in_an_open_folder()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDir();
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string path = Path.Combine(dir.Path, "edgesensors.db");
        using var db = new EdgeDatabase(path);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path + "-wal"));
    }

    [Fact]
    public void An_existing_store_left_readable_by_others_is_made_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "edgesensors.db");
        using (new EdgeDatabase(path))
        {
        }

        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var again = new EdgeDatabase(path);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }
}
