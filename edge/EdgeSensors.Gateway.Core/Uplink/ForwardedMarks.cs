using EdgeSensors.Gateway.Store;

namespace EdgeSensors.Gateway.Uplink;

/// <summary>
/// Issue 32: per (node, boot), the highest seq the IOC's broker has acknowledged with every reading before it — what
/// the gateway's marks message says, so the IOC can count readings lost after the last one it stored. Kept in memory
/// (one entry a node: a node's older boots go once their mark was sent), fed by the forwarder as its checkpoint advances.
/// </summary>
public sealed class ForwardedMarks
{
    private readonly Dictionary<(string Node, long Boot), long> _marks = [];
    private readonly HashSet<(string Node, long Boot)> _moved = [];
    private int _rounds;

    public int Count => _marks.Count;

    /// <summary>Takes the readings of a batch up to <paramref name="through"/> (ids in order): every one of them is at the IOC.</summary>
    public void Note(IReadOnlyList<StoredReading> pending, long through)
    {
        foreach (StoredReading r in pending)
        {
            if (r.Id > through)
            {
                break;
            }

            (string, long) key = (r.Node, r.Boot);
            if (!_marks.TryGetValue(key, out long seq))
            {
                // A new boot: the node's earlier boots whose marks were sent are not kept.
                foreach ((string Node, long Boot) old in _marks.Keys.Where(k => k.Node == r.Node && !_moved.Contains(k)).ToList())
                {
                    _marks.Remove(old);
                }
            }

            if (!_marks.TryGetValue(key, out seq) || r.Seq > seq)
            {
                _marks[key] = r.Seq;
                _moved.Add(key);
            }
        }
    }

    /// <summary>
    /// The marks to send this round: those that moved since they were last sent — and, every 12th round, all of them,
    /// in case a marks message was acknowledged and then lost with the readings.
    /// </summary>
    public IReadOnlyList<(string Node, long Boot, long Seq)> Due()
    {
        if (++_rounds % 12 == 0)
        {
            _moved.UnionWith(_marks.Keys);
        }

        return _moved.Order().Select(k => (k.Node, k.Boot, _marks[k])).ToList();
    }

    /// <summary>These marks reached the IOC's broker.</summary>
    public void Sent(IEnumerable<(string Node, long Boot, long Seq)> marks)
    {
        foreach ((string node, long boot, long seq) in marks)
        {
            if (_marks.TryGetValue((node, boot), out long now) && now == seq)
            {
                _moved.Remove((node, boot));
            }
        }
    }
}
