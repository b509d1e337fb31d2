using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Hardening;

/// <summary>Issue 15, acceptance 1: SIGTERM during a stream ends with exit code 0, no exception, and every acknowledged reading kept.</summary>
public sealed class CleanStopTests
{
    [Fact]
    public async Task SIGTERM_during_a_stream_exits_0_without_an_exception_and_keeps_every_acknowledged_reading()
    {
        using var dir = new TempDir();
        var gateway = new GatewayProcess(dir.Path, extra: new Dictionary<string, string> { ["Gpio:RelayEnabled"] = "true" });
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-stop-1");
        await using var node = new TestNode("hg-stop-1", secret);
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);

        var acked = new List<uint>();
        using var streaming = new CancellationTokenSource();
        Task stream = Task.Run(async () =>
        {
            // At most 950 samples, paced a little: the check below reads the node's last 1,000 readings (the API's
            // limit), and a faster parser once let 1,602 through before the stop (a clean-clone CI run).
            for (int n = 0; n < 950 && !streaming.IsCancellationRequested; n++)
            {
                await Task.Delay(1);
                var sample = node.NextSample();
                try
                {
                    if ((await node.PublishAsync(sample)).IsSuccess)
                    {
                        lock (acked)
                        {
                            acked.Add(sample.Seq);
                        }
                    }
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
                {
                    return; // the gateway went away mid-publish: not acknowledged, the node keeps it
                }
            }
        });

        // SIGTERM while the node is still sending: once a few hundred readings are in.
        for (int i = 0; i < 100; i++)
        {
            lock (acked)
            {
                if (acked.Count >= 200)
                {
                    break;
                }
            }

            await Task.Delay(50);
        }

        Assert.False(stream.IsCompleted, "the stream ended before the stop: the test would not stop the gateway mid-stream");
        int code = await gateway.TerminateAsync(TimeSpan.FromSeconds(30));
        await streaming.CancelAsync();
        await stream;
        Assert.Equal(0, code);
        Assert.DoesNotContain("Unhandled exception", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", gateway.Output, StringComparison.Ordinal);
        Assert.True(acked.Count > 10, $"only {acked.Count} readings acknowledged before the stop");

        await using var again = new GatewayProcess(dir.Path);
        await again.StartAsync();
        JsonElement detail = await again.Http.GetFromJsonAsync<JsonElement>("/api/nodes/hg-stop-1?last=1000");
        var stored = detail.GetProperty("last_readings").EnumerateArray().Select(r => r.GetProperty("seq").GetUInt32()).ToHashSet();
        Assert.All(acked, seq => Assert.Contains(seq, stored));
        await gateway.DisposeAsync();
    }
}
