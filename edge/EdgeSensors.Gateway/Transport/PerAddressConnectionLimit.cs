using System.Net;
using Microsoft.AspNetCore.Connections;
using EdgeSensors.Gateway.Security;

namespace EdgeSensors.Gateway.Transport;

/// <summary>
/// At most <c>perAddress</c> HTTP/HTTPS connections from one address (issue 29: 1,000 idle sockets from one host used
/// Kestrel's whole connection limit and the HTTPS API stopped answering). A new connection from an address at its limit
/// closes that address's oldest one instead of being refused, so the flooder's own sockets are recycled and a real
/// request from the same address (an operator behind the same NAT, or on the Pi itself) still gets through.
/// Written by hand: Kestrel limits connections in total only.
/// </summary>
public sealed class PerAddressConnectionLimit(int perAddress)
{
    private readonly Dictionary<IPAddress, LinkedList<ConnectionContext>> _open = [];
    private readonly object _gate = new();

    /// <summary>Connections closed to make room.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    private long _evicted;

    /// <summary>Kestrel connection middleware: counts the connection for its address while it is open.</summary>
    public ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        IPAddress? address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (address == null)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        LinkedListNode<ConnectionContext> node;
        ConnectionContext? oldest = null;
        lock (_gate)
        {
            if (!_open.TryGetValue(address, out LinkedList<ConnectionContext>? list))
            {
                list = new LinkedList<ConnectionContext>();
                _open[address] = list;
            }

            if (list.Count >= perAddress)
            {
                oldest = list.First!.Value;
                list.RemoveFirst();
            }

            node = list.AddLast(connection);
        }

        if (oldest != null)
        {
            Interlocked.Increment(ref _evicted);
            oldest.Abort(new ConnectionAbortedException($"more than {perAddress} connections from {address}: the oldest is closed"));
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
                    if (list.Count == 0)
                    {
                        _open.Remove(address);
                    }
                }
            }
        }
    };
}
