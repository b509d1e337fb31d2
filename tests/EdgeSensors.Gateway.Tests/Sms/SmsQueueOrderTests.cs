using EdgeSensors.Gateway.Sms;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Gateway.Sms.Gammu;
using EdgeSensors.Gateway.Storage.Sqlite;

namespace EdgeSensors.Gateway.Tests.Sms;

/// <summary>
/// Issue 29: 300 forged subscribers queued 606 texts and a farmer's danger text went out 346th, first in, first out.
/// The queue now hands the most urgent first, on the real SQLite store.
/// </summary>
public sealed class SmsQueueOrderTests
{
    [Fact]
    public async Task A_danger_text_queued_after_300_answers_goes_out_first()
    {
        using var dir = new TempDir();
        using var db = new EdgeDatabase(Path.Combine(dir.Path, "edgesensors.db"));
        var store = new SmsStore(db);
        for (int i = 0; i < 300; i++)
        {
            await store.EnqueueAsync($"+849120{i:D5}", "hg-sms-09", SmsService.Kinds.Reply, "Ma 1234: nhan XN 1234 …", 1, SmsStates.Queued, "subscribe", 100, CancellationToken.None);
        }

        await store.EnqueueAsync("+84912000001", "hg-sms-09", SmsService.Kinds.Morning, "Gio lay nuoc …", 1, SmsStates.Queued, null, 100, CancellationToken.None);
        await store.EnqueueAsync("+84912000001", "hg-sms-09", SmsService.Kinds.Warning, "CANH BAO …", 1, SmsStates.Queued, null, 100, CancellationToken.None);
        await store.EnqueueAsync("+84912000001", "hg-sms-09", SmsService.Kinds.Danger, "NGUY HIEM …", 1, SmsStates.Queued, null, 100, CancellationToken.None);

        IReadOnlyList<SmsMessage> due = store.Due(200, 50);
        Assert.Equal([SmsService.Kinds.Danger, SmsService.Kinds.Warning], due.Take(2).Select(m => m.Kind).ToArray());
        Assert.Equal(SmsService.Kinds.Reply, due[2].Kind);
        Assert.True(due.Skip(2).Select(m => m.Id).SequenceEqual(due.Skip(2).Select(m => m.Id).Order()), "answers left their order");
    }
}
