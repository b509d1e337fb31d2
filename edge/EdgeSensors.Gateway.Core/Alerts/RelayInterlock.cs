namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// Decides whether the relay may permit water (pump may run, sluice may open), judged on the gateway's clock and never
/// on the times a node writes into its samples. A node's salinity moves the relay only when readings on one side of
/// the threshold arrived in at least <see cref="RelayRule.MinPublishes"/> separate messages spread over at least
/// <see cref="RelayRule.ConfirmSeconds"/> of receive time, with no reading on the other side in between. A forged
/// burst — any number of back-dated samples in one publish — therefore moves nothing, and a genuine change moves the
/// relay one confirmation period after it began. Where more than one node governs the relay, by default two of them
/// must agree before water is permitted (issue 29: two messages from one stolen node opened the intake); where only
/// one does, one suffices and <see cref="Basis"/> says so.
/// With no fresh confirmed reading the relay forbids water: no information is not permission (the fail-safe state,
/// as a dead gateway or a cut power supply leaves it).
/// </summary>
public sealed class RelayInterlock(RelayRule rule, Func<int>? governingNodes = null)
{
    private readonly Dictionary<string, NodeRun> _nodes = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>What the relay wants for a node.</summary>
    public enum Want
    {
        Forbid,
        Permit,
    }

    /// <summary>
    /// A committed reading of <paramref name="node"/>'s salinity, received by the gateway at <paramref name="rx"/>
    /// (unix s), judged against the salinity (‰) from which the relay must forbid water for the node's crop and the
    /// one below which water may be taken again (the profile's reopen level; at most the forbid level less the rule's
    /// hysteresis).
    /// </summary>
    public void Observe(string node, long rx, double salinityPpt, double forbidFromPpt, double permitBelowPpt)
    {
        if (rule.Nodes.Count > 0 && !rule.Nodes.Contains(node))
        {
            return;
        }

        lock (_lock)
        {
            if (!_nodes.TryGetValue(node, out NodeRun? run))
            {
                run = new NodeRun();
                _nodes[node] = run;
            }

            Want want = salinityPpt >= forbidFromPpt ? Want.Forbid
                : salinityPpt < Math.Min(permitBelowPpt, forbidFromPpt - rule.HysteresisPpt) ? Want.Permit
                : run.RunWant ?? run.Confirmed ?? Want.Forbid; // inside the hysteresis band: whatever it was
            if (want != run.RunWant)
            {
                run.RunWant = want;
                run.RunStart = rx;
                run.RunLast = rx;
                run.Publishes = 1;
            }
            else if (rx > run.RunLast)
            {
                run.RunLast = rx;
                run.Publishes++;
            }

            if (run.Confirmed == want)
            {
                run.LastSupport = Math.Max(run.LastSupport, run.RunLast);
            }
            else if (run.RunLast - run.RunStart >= rule.ConfirmSeconds && run.Publishes >= rule.MinPublishes)
            {
                run.Confirmed = want;
                run.LastSupport = run.RunLast;
            }
        }
    }

    /// <summary>
    /// True when water may be taken at <paramref name="now"/> (unix s): no node has a confirmed "forbid", and at least
    /// <see cref="RelayRule.MinAgreeingNodes"/> nodes have a confirmed "permit" backed by a reading received within
    /// <see cref="RelayRule.MaxAgeSeconds"/>.
    /// </summary>
    public bool Permits(long now)
    {
        lock (_lock)
        {
            int permitting = 0;
            foreach (NodeRun run in _nodes.Values)
            {
                if (run.Confirmed == Want.Forbid)
                {
                    return false;
                }

                if (run.Confirmed == Want.Permit && now - run.LastSupport <= rule.MaxAgeSeconds)
                {
                    permitting++;
                }
            }

            return permitting >= Required();
        }
    }

    /// <summary>Nodes that must agree now: the rule's number, or every governing node when fewer govern.</summary>
    public int Required()
    {
        int governing = rule.Nodes.Count > 0 ? rule.Nodes.Count : governingNodes?.Invoke() ?? int.MaxValue;
        return Math.Max(1, Math.Min(rule.MinAgreeingNodes, governing));
    }

    /// <summary>On what the relay decides, for the operator and the page ("2 of 3 nodes must agree", or a single node's word).</summary>
    public string Basis()
    {
        int required = Required();
        return required == 1 && rule.MinAgreeingNodes > 1
            ? "one node governs the relay: its word alone permits water (no second node to corroborate)"
            : $"{required} node(s) must confirm fresh water, and none salt";
    }

    /// <summary>Each node's confirmed state, for the API and the page.</summary>
    public IReadOnlyDictionary<string, string> Confirmed()
    {
        lock (_lock)
        {
            return _nodes.ToDictionary(kv => kv.Key, kv => kv.Value.Confirmed?.ToString().ToLowerInvariant() ?? "unconfirmed", StringComparer.Ordinal);
        }
    }

    private sealed class NodeRun
    {
        public Want? RunWant { get; set; }

        public long RunStart { get; set; }

        public long RunLast { get; set; }

        public int Publishes { get; set; }

        public Want? Confirmed { get; set; }

        public long LastSupport { get; set; }
    }
}

/// <summary>The relay interlock's settings (bound from the Gpio section).</summary>
/// <param name="ConfirmSeconds">Receive-time span a change must hold over before the relay follows it.</param>
/// <param name="MinPublishes">Separate messages (distinct receive seconds) the change must come in.</param>
/// <param name="MinAgreeingNodes">Nodes that must confirm "permit" before water is permitted.</param>
/// <param name="MaxAgeSeconds">A permit is only as good as its newest supporting reading's age.</param>
/// <param name="HysteresisPpt">Below the forbid level by this much before "permit" counts.</param>
/// <param name="Nodes">Nodes whose readings govern the relay (empty: every node).</param>
public sealed record RelayRule(int ConfirmSeconds, int MinPublishes, int MinAgreeingNodes, int MaxAgeSeconds, double HysteresisPpt, IReadOnlySet<string> Nodes);
