using System.Net;
using Microsoft.AspNetCore.Connections;

namespace EdgeSensors.Gateway.Transport;

/// <summary>
/// Limits before login, as Kestrel connection middleware: at most <c>total</c> connections open on the endpoints that
/// share this instance, and at most <c>perAddress</c> from one address. One instance serves the HTTP and HTTPS ports
/// (issue 29: 1,000 idle sockets from one host used Kestrel's whole connection limit and the HTTPS API stopped
/// answering), another the node broker's ports, so a flood on one group leaves the other's room untouched (issue 33).
/// With <paramref name="evictOldest"/>, a new connection from an address at its limit closes that address's oldest one
/// instead of being refused, so a flooder's own sockets are recycled and a real request from the same address (an
/// operator behind the same NAT, or on the Pi itself) still gets through; without it (the nodes' ports) the new one is
/// closed and the nodes already connected keep their sessions. Written by hand: Kestrel limits connections in total,
/// for every endpoint together, and never per address.
/// </summary>
public sealed class ConnectionLimits(int total, int perAddress, bool evictOldest, Action<ConnectionContext, string>? refused = null, Action<int>? openChanged = null)
{
    private readonly Dictionary<IPAddress, LinkedList<ConnectionContext>> _open = [];
    private readonly object _gate = new();
    private int _count;
    private long _evicted;

    /// <summary>Connections closed to make room.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>Connections open now.</summary>
    public int Open => Volatile.Read(ref _count);

    /// <summary>Kestrel connection middleware: counts the connection for its address while it is open.</summary>
    public ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        IPAddress address = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        LinkedListNode<ConnectionContext> node;
        ConnectionContext? oldest = null;
        string? refusal = null;
        lock (_gate)
        {
            if (!_open.TryGetValue(address, out LinkedList<ConnectionContext>? list))
            {
                list = new LinkedList<ConnectionContext>();
                _open[address] = list;
            }

            if (list.Count >= perAddress && evictOldest)
            {
                oldest = list.First!.Value;
                list.RemoveFirst();
                _count--;
                openChanged?.Invoke(_count);
            }
            else if (list.Count >= perAddress)
            {
                refusal = $"{perAddress} connections already open from {address}";
            }

            if (refusal == null && _count >= total)
            {
                refusal = $"{total} connections already open";
            }

            if (refusal != null)
            {
                if (list.Count == 0)
                {
                    _open.Remove(address);
                }

                node = null!;
            }
            else
            {
                node = list.AddLast(connection);
                _count++;
                openChanged?.Invoke(_count);
            }
        }

        if (oldest != null)
        {
            Interlocked.Increment(ref _evicted);
            oldest.Abort(new ConnectionAbortedException($"more than {perAddress} connections from {address}: the oldest is closed"));
        }

        if (refusal != null)
        {
            refused?.Invoke(connection, refusal);
            return; // Kestrel closes a connection its middleware returns from
        }

        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                if (node.List is { } list)
                {
                    list.Remove(node);
                    _count--;
                    openChanged?.Invoke(_count);
                    if (list.Count == 0)
                    {
                        _open.Remove(address);
                    }
                }
            }
        }
    };
}
