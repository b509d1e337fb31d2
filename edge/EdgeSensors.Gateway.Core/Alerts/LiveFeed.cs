using System.Threading.Channels;

namespace EdgeSensors.Gateway.Alerts;

/// <summary>Fan-out of live events (new readings, alert changes, GPIO) to the page's server-sent-event streams.</summary>
public sealed class LiveFeed
{
    private readonly Lock _lock = new();
    private readonly List<Channel<string>> _subscribers = [];

    public ChannelReader<string> Subscribe(out Action unsubscribe) =>
        TrySubscribe(int.MaxValue, out unsubscribe) ?? throw new InvalidOperationException("unreachable");

    /// <summary>Subscribes unless <paramref name="max"/> clients already listen (null then: the caller refuses clearly).</summary>
    public ChannelReader<string>? TrySubscribe(int max, out Action unsubscribe)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock)
        {
            if (_subscribers.Count >= max)
            {
                unsubscribe = static () => { };
                return null;
            }

            _subscribers.Add(channel);
        }

        unsubscribe = () =>
        {
            lock (_lock)
            {
                _subscribers.Remove(channel);
            }

            channel.Writer.TryComplete();
        };
        return channel.Reader;
    }

    /// <summary>True while a page listens (so the hot path builds no event text for nobody).</summary>
    public bool HasSubscribers
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count > 0;
            }
        }
    }

    /// <summary>Sends an SSE event ("event: name\ndata: json").</summary>
    public void Publish(string eventName, string json)
    {
        string message = $"event: {eventName}\ndata: {json}\n\n";
        lock (_lock)
        {
            foreach (Channel<string> c in _subscribers)
            {
                c.Writer.TryWrite(message);
            }
        }
    }
}
