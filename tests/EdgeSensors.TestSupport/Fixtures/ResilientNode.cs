using EdgeSensors.Node.Samples;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// A node that behaves like the firmware's cycle under faults: it keeps unacknowledged samples in order, sends
/// them (in batches) until the gateway acknowledges them, and reconnects after losing the gateway.
/// </summary>
public sealed class ResilientNode : IAsyncDisposable
{
    private readonly TestNode _node;
    private readonly Func<int> _port;
    private readonly Queue<Sample> _outbox = new();
    private readonly Lock _lock = new();

    public ResilientNode(string id, string secret, Func<int> port)
    {
        _node = new TestNode(id, secret);
        _port = port;
    }

    public string Id => _node.Id;

    public uint Boot => _node.Boot;

    public IReadOnlySet<uint> Acknowledged => _node.Acknowledged;

    public int Generated { get; private set; }

    /// <summary>Raised after each batch the gateway acknowledged.</summary>
    public event Action? Acknowledging;

    /// <summary>
    /// Completes when <paramref name="nodes"/> together have at least <paramref name="count"/> readings acknowledged:
    /// a phase of a load test ends on the progress it needs, signalled by each acknowledgement, not after a guess of time.
    /// </summary>
    public static async Task WhenAcknowledgedAsync(IReadOnlyCollection<ResilientNode> nodes, int count, TimeSpan timeout)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (nodes.Sum(n => n.AcknowledgedCount) >= count)
            {
                reached.TrySetResult();
            }
        }

        foreach (ResilientNode n in nodes)
        {
            n.Acknowledging += Check;
        }

        try
        {
            Check();
            await reached.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{nodes.Sum(n => n.AcknowledgedCount)} readings acknowledged within {timeout.TotalSeconds:0} s, {count} awaited");
        }
        finally
        {
            foreach (ResilientNode n in nodes)
            {
                n.Acknowledging -= Check;
            }
        }
    }

    /// <summary>Readings acknowledged so far (read under the node's lock: the set grows on the sending task).</summary>
    public int AcknowledgedCount
    {
        get
        {
            lock (_lock)
            {
                return _acknowledged;
            }
        }
    }

    private int _acknowledged;

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _outbox.Count;
            }
        }
    }

    /// <summary>Generates a sample every <paramref name="interval"/> while <paramref name="generate"/> is not cancelled, and keeps sending until everything is acknowledged or <paramref name="stop"/>.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken generate, CancellationToken stop)
    {
        Task producer = Task.Run(async () =>
        {
            while (!generate.IsCancellationRequested)
            {
                lock (_lock)
                {
                    _outbox.Enqueue(_node.NextSample(1 + (Generated % 30 * 0.1)));
                    Generated++;
                }

                try
                {
                    await Task.Delay(interval, generate);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }, CancellationToken.None);

        while (!stop.IsCancellationRequested && (!generate.IsCancellationRequested || Pending > 0))
        {
            try
            {
                if (!_node.IsConnected)
                {
                    if (!(await _node.ConnectAsync(_port())).Ok)
                    {
                        await Task.Delay(100, stop);
                        continue;
                    }
                }

                Sample[] batch;
                lock (_lock)
                {
                    batch = _outbox.Take(20).ToArray();
                }

                if (batch.Length == 0)
                {
                    await Task.Delay(10, stop);
                    continue;
                }

                var result = await _node.PublishAsync(batch);
                if (result.IsSuccess)
                {
                    lock (_lock)
                    {
                        for (int i = 0; i < batch.Length; i++)
                        {
                            _outbox.Dequeue();
                        }

                        _acknowledged = _node.Acknowledged.Count;
                    }

                    Acknowledging?.Invoke();
                }
                else
                {
                    await Task.Delay(100, stop);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception)
            {
                // The gateway went away mid-publish: not acknowledged, so still queued. Reconnect.
                try
                {
                    await _node.DisconnectAsync();
                }
                catch (Exception)
                {
                }

                await Task.Delay(100, CancellationToken.None);
            }
        }

        await producer;
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
