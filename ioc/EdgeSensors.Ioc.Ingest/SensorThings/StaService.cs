using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeSensors.Ioc.Ingest.Decoding;

namespace EdgeSensors.Ioc.Ingest.SensorThings;

/// <summary>
/// OGC SensorThings API Part 1: Sensing 1.1, read-only, over the ingest's store: the resource paths of §9.2 (entity
/// sets, entities by id, navigation, properties, <c>$value</c>, <c>$ref</c>) and the query options of §9.3. The IOC's
/// readings are never written through it; the gateways remain the only writers.
/// </summary>
public sealed partial class StaService(IObservationStore store)
{
    public const string Prefix = "/sta/v1.1";

    /// <summary>Readings fetched per round trip while scanning observations.</summary>
    private const int ScanChunk = 2000;

    /// <summary>Observations held in memory to sort by something other than time; beyond it the client is told to narrow the query.</summary>
    public const int MaxSorted = 200_000;

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex(@"^(?<name>[A-Za-z]+)(\((?:'(?<sid>(?:[^']|'')*)'|(?<nid>\d+))\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Segment();

    private sealed record Page(List<StaEntity> Items, long? Count, bool More);

    /// <summary>Where a collection's members come from: an entity set, a to-many navigation, or observations in a scope.</summary>
    private sealed record Source(StaSetDef Set, IEnumerable<StaEntity>? Items, ObservationScope? Scope);

    private sealed record ObservationScope(string? Site, string? Node, string? Field);

    private sealed record Request(StaGraph Graph, string BaseUrl, CancellationToken Ct);

    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken ct)
    {
        string baseUrl = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{Prefix}";
        string rest = (http.Request.Path.Value ?? string.Empty)[Math.Min(Prefix.Length, http.Request.Path.Value?.Length ?? 0)..].Trim('/');
        try
        {
            StaQuery q = StaQuery.FromPairs(http.Request.Query.SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string>(kv.Key, v ?? string.Empty))));
            if (rest.Length == 0)
            {
                return Root(baseUrl);
            }

            var request = new Request(new StaGraph(await store.StationsAsync(ct).ConfigureAwait(false)), baseUrl, ct);
            return await ResolveAsync(request, rest, q).ConfigureAwait(false);
        }
        catch (StaQueryException ex)
        {
            return Error(ex.Status, ex.Message);
        }
    }

    private static IResult Root(string baseUrl)
    {
        var value = new JsonArray();
        foreach (StaSetDef s in StaModel.Sets)
        {
            value.Add(new JsonObject { ["name"] = s.Name, ["url"] = $"{baseUrl}/{s.Name}" });
        }

        var conformance = new JsonArray();
        foreach (string c in StaModel.Conformance)
        {
            conformance.Add(c);
        }

        return Ok(new JsonObject { ["value"] = value, ["serverSettings"] = new JsonObject { ["conformance"] = conformance } });
    }

    private static IResult Ok(JsonNode body) => Results.Text(body.ToJsonString(Json), "application/json; charset=utf-8");

    private static IResult Error(int status, string message) =>
        Results.Text(new JsonObject { ["code"] = status, ["type"] = "error", ["message"] = message }.ToJsonString(Json), "application/json; charset=utf-8", statusCode: status);

    private async Task<IResult> ResolveAsync(Request r, string rest, StaQuery q)
    {
        string[] segments = rest.Split('/');
        Match first = Segment().Match(segments[0]);
        StaSetDef? set = first.Success ? StaModel.Set(first.Groups["name"].Value) : null;
        if (set == null)
        {
            return Error(404, $"no entity set \"{segments[0]}\"; the sets are {string.Join(", ", StaModel.Sets.Select(s => s.Name))}");
        }

        object? current; // a Source (collection) or a StaEntity
        if (IdOf(first) is string id)
        {
            StaEntity? e = await FindAsync(r, set, id).ConfigureAwait(false);
            if (e == null)
            {
                return Error(404, $"no {set.Singular} with id '{id}'");
            }

            current = e;
        }
        else
        {
            current = AllOf(r, set);
        }

        for (int i = 1; i < segments.Length; i++)
        {
            string seg = segments[i];
            if (seg == "$ref")
            {
                return i == segments.Length - 1 ? await RefAsync(r, current, q, rest).ConfigureAwait(false) : Error(400, "$ref must end the path");
            }

            if (current is not StaEntity entity)
            {
                return Error(400, $"\"{seg}\" cannot follow a collection; address one entity by its id first, e.g. {((Source)current!).Set.Name}('…')/{seg}");
            }

            Match m = Segment().Match(seg);
            StaNavigation? nav = m.Success ? entity.Set.Navigation(m.Groups["name"].Value) : null;
            if (nav != null)
            {
                if (!nav.Many)
                {
                    StaEntity? target = r.Graph.ToOne(entity, nav.Name);
                    if (target == null)
                    {
                        return Error(404, $"{entity.Set.Singular} '{entity.Id}' has no {nav.Name}");
                    }

                    current = target;
                    continue;
                }

                Source source = NavigationOf(r, entity, nav);
                if (IdOf(m) is string navId)
                {
                    StaEntity? member = await FindAsync(r, StaModel.Set(nav.TargetSet)!, navId).ConfigureAwait(false);
                    if (member == null || !await BelongsAsync(r, source, member).ConfigureAwait(false))
                    {
                        return Error(404, $"no {nav.Name} with id '{navId}' of {entity.Set.Singular} '{entity.Id}'");
                    }

                    current = member;
                    continue;
                }

                current = source;
                continue;
            }

            if (entity.Set.Properties.Contains(seg))
            {
                object? value = entity.Props.GetValueOrDefault(seg);
                if (i + 1 < segments.Length)
                {
                    if (segments[i + 1] != "$value" || i + 2 != segments.Length)
                    {
                        return Error(400, $"only $value may follow the property {seg}");
                    }

                    return value == null ? Results.NoContent() : Results.Text(value is JsonNode n ? n.ToJsonString(Json) : ToJson(value)!.ToString(), "text/plain; charset=utf-8");
                }

                return value == null ? Results.NoContent() : Ok(new JsonObject { [seg] = ToJson(value) });
            }

            return Error(404, $"{entity.Set.Singular} has no property or navigation \"{seg}\"");
        }

        if (current is StaEntity single)
        {
            Validate(single.Set, q, collection: false);
            return Ok(await SerializeAsync(r, single, q).ConfigureAwait(false));
        }

        var src = (Source)current!;
        Validate(src.Set, q, collection: true);
        Page page = await CollectAsync(r, src, q).ConfigureAwait(false);
        var body = new JsonObject();
        if (page.Count is long count)
        {
            body["@iot.count"] = count;
        }

        var items = new JsonArray();
        foreach (StaEntity e in page.Items)
        {
            items.Add(await SerializeAsync(r, e, q).ConfigureAwait(false));
        }

        body["value"] = items;
        if (page.More)
        {
            body["@iot.nextLink"] = NextLink(r.BaseUrl + "/" + rest, q);
        }

        return Ok(body);
    }

    private static string? IdOf(Match m) =>
        m.Groups["sid"].Success ? m.Groups["sid"].Value.Replace("''", "'", StringComparison.Ordinal) : m.Groups["nid"].Success ? m.Groups["nid"].Value : null;

    private static Source AllOf(Request r, StaSetDef set) =>
        set == StaModel.Observations ? new Source(set, null, new ObservationScope(null, null, null)) : new Source(set, r.Graph.All(set), null);

    private static Source NavigationOf(Request r, StaEntity e, StaNavigation nav)
    {
        StaSetDef target = StaModel.Set(nav.TargetSet)!;
        if (target != StaModel.Observations)
        {
            return new Source(target, r.Graph.ToMany(e, nav.Name).ToList(), null);
        }

        return e.Set == StaModel.Datastreams
            ? new Source(target, null, new ObservationScope(e.Site, e.Node, e.Key))
            : new Source(target, null, new ObservationScope(e.Site, e.Node, null)); // a FeatureOfInterest: every field of its station
    }

    private async Task<StaEntity?> FindAsync(Request r, StaSetDef set, string id)
    {
        if (set != StaModel.Observations)
        {
            return r.Graph.Find(set, id);
        }

        if (StaGraph.ObservationKey(id) is not { } k)
        {
            return null;
        }

        ReadingRow? row = await store.ReadingAsync(k.Site, k.Node, k.Boot, k.Seq, r.Ct).ConfigureAwait(false);
        return row == null ? null : StaGraph.Observations(row, k.Field).FirstOrDefault();
    }

    private static Task<bool> BelongsAsync(Request r, Source source, StaEntity member) =>
        Task.FromResult(source.Items != null
            ? source.Items.Any(x => x.Id == member.Id)
            : (source.Scope!.Site == null || source.Scope.Site == member.Site) && (source.Scope.Node == null || source.Scope.Node == member.Node)
              && (source.Scope.Field == null || source.Scope.Field == member.Key));

    private async Task<IResult> RefAsync(Request r, object? current, StaQuery q, string rest)
    {
        string Self(StaEntity e) => $"{r.BaseUrl}/{e.Set.Name}('{e.Id}')";
        if (current is StaEntity e)
        {
            return Ok(new JsonObject { ["@iot.selfLink"] = Self(e) });
        }

        var src = (Source)current!;
        Validate(src.Set, q, collection: true);
        Page page = await CollectAsync(r, src, q).ConfigureAwait(false);
        var items = new JsonArray();
        foreach (StaEntity x in page.Items)
        {
            items.Add(new JsonObject { ["@iot.selfLink"] = Self(x) });
        }

        var body = new JsonObject();
        if (page.Count is long count)
        {
            body["@iot.count"] = count;
        }

        body["value"] = items;
        if (page.More)
        {
            body["@iot.nextLink"] = NextLink(r.BaseUrl + "/" + rest, q);
        }

        return Ok(body);
    }

    /// <summary>Every name in $select, $expand, $orderby and $filter must exist on the entity type: a typo is a 400, not an empty answer.</summary>
    private static void Validate(StaSetDef set, StaQuery q, bool collection)
    {
        foreach (string s in q.Select ?? [])
        {
            if (s is not ("@iot.id" or "@iot.selfLink") && !set.Properties.Contains(s) && set.Navigation(s) == null)
            {
                throw new StaQueryException($"$select: {set.Singular} has no property \"{s}\"");
            }
        }

        foreach (ExpandItem x in q.Expand)
        {
            StaNavigation nav = set.Navigation(x.Navigation) ?? throw new StaQueryException($"$expand: {set.Singular} has no navigation property \"{x.Navigation}\"");
            Validate(StaModel.Set(nav.TargetSet)!, x.Query, nav.Many);
        }

        if (!collection && (q.Filter != null || q.OrderBy.Count > 0 || q.Top != null || q.Skip != 0 || q.Count))
        {
            throw new StaQueryException("$filter, $orderby, $top, $skip and $count apply to collections, not to one entity");
        }

        if (q.Filter != null)
        {
            CheckPaths(set, q.Filter);
        }

        foreach ((FilterExpr e, _) in q.OrderBy)
        {
            CheckPaths(set, e);
        }
    }

    private static void CheckPaths(StaSetDef set, FilterExpr e)
    {
        switch (e)
        {
            case PropertyPath p:
                StaSetDef at = set;
                for (int i = 0; i < p.Segments.Count; i++)
                {
                    string s = p.Segments[i];
                    if (s is "id" or "@iot.id" && i == p.Segments.Count - 1)
                    {
                        return;
                    }

                    if (at.Properties.Contains(s))
                    {
                        return; // deeper segments address inside a JSON property (properties/…, unitOfMeasurement/…)
                    }

                    StaNavigation? nav = at.Navigation(s);
                    if (nav == null)
                    {
                        throw new StaQueryException($"{at.Singular} has no property \"{s}\" (in {p})");
                    }

                    if (nav.Many)
                    {
                        throw new StaQueryException($"{p}: a path through the to-many navigation {s} needs any()/all(), which this service does not support", 501);
                    }

                    at = StaModel.Set(nav.TargetSet)!;
                }

                throw new StaQueryException($"{p} names an entity, not a property");
            case Binary b:
                CheckPaths(set, b.Left);
                CheckPaths(set, b.Right);
                break;
            case NotExpr n:
                CheckPaths(set, n.Operand);
                break;
            case Negate n:
                CheckPaths(set, n.Operand);
                break;
            case FunctionCall c:
                foreach (FilterExpr a in c.Args)
                {
                    CheckPaths(set, a);
                }

                break;
        }
    }

    private static object? Resolve(Request r, StaEntity e, PropertyPath p)
    {
        object? cur = e;
        foreach (string seg in p.Segments)
        {
            switch (cur)
            {
                case StaEntity ent when seg is "id" or "@iot.id":
                    cur = ent.Id;
                    break;
                case StaEntity ent when ent.Props.TryGetValue(seg, out object? v):
                    cur = v;
                    break;
                case StaEntity ent:
                    cur = r.Graph.ToOne(ent, seg);
                    break;
                case JsonObject o:
                    cur = o.TryGetPropertyValue(seg, out JsonNode? n) ? n : null;
                    break;
                default:
                    return null;
            }

            if (cur == null)
            {
                return null;
            }
        }

        return cur;
    }

    private async Task<Page> CollectAsync(Request r, Source src, StaQuery q)
    {
        int top = q.EffectiveTop;
        Comparison<StaEntity> order = Order(r, q);
        Func<StaEntity, bool> keep = q.Filter == null ? _ => true : e => ODataFilter.Matches(q.Filter, p => Resolve(r, e, p));
        if (src.Items != null)
        {
            List<StaEntity> matched = src.Items.Where(keep).ToList();
            matched.Sort(order);
            return new Page(matched.Skip(q.Skip).Take(top).ToList(), q.Count ? matched.Count : null, matched.Count > q.Skip + top);
        }

        (ReadingScan? scan, string? field) = Pushdown(src.Scope!, q.Filter);
        var pager = new Pager(q.Skip, top);
        if (scan == null)
        {
            return new Page([], q.Count ? 0 : null, false); // the filter contradicts the path (another datastream): nothing matches
        }

        bool timeOrdered = q.OrderBy.Count == 0 || q.OrderBy[0].Expr is PropertyPath { Segments: [("phenomenonTime" or "resultTime")] };
        if (timeOrdered)
        {
            scan = scan with { Descending = q.OrderBy.Count > 0 && q.OrderBy[0].Descending };
            var sameTime = new List<StaEntity>();
            long groupTs = long.MinValue;
            bool Flush()
            {
                if (q.OrderBy.Count > 1)
                {
                    sameTime.Sort(order); // later keys order observations of the same time
                }

                foreach (StaEntity e in sameTime)
                {
                    pager.Offer(e);
                }

                sameTime.Clear();
                return !q.Count && pager.More;
            }

            // Without a filter of its own, the first round trip fetches about what the page needs (a newest-reading query
            // reads a few rows, not a chunk); later ones grow to the full chunk.
            int firstChunk = q.Filter == null && !q.Count ? Math.Clamp(q.Skip + top + 1, 16, ScanChunk) : ScanChunk;
            await foreach (StaEntity e in ScanAsync(r, scan, field, firstChunk).ConfigureAwait(false))
            {
                if (e.Ts != groupTs && sameTime.Count > 0 && Flush())
                {
                    return pager.Result(null);
                }

                groupTs = e.Ts;
                if (keep(e))
                {
                    sameTime.Add(e);
                }
            }

            Flush();
            return pager.Result(q.Count ? pager.Matched : null);
        }

        var all = new List<StaEntity>();
        await foreach (StaEntity e in ScanAsync(r, scan, field).ConfigureAwait(false))
        {
            if (keep(e))
            {
                all.Add(e);
                if (all.Count > MaxSorted)
                {
                    throw new StaQueryException($"ordering by {q.OrderBy[0].Expr} needs more than {MaxSorted:N0} observations in memory: narrow the query to a Datastream or a time span ($filter on phenomenonTime), or order by phenomenonTime");
                }
            }
        }

        all.Sort(order);
        foreach (StaEntity e in all)
        {
            pager.Offer(e);
        }

        return pager.Result(q.Count ? pager.Matched : null);
    }

    private async IAsyncEnumerable<StaEntity> ScanAsync(Request r, ReadingScan scan, string? field, int chunk = ScanChunk)
    {
        ScanCursor? after = null;
        while (true)
        {
            IReadOnlyList<ReadingRow> rows = await store.ScanAsync(scan, after, chunk, r.Ct).ConfigureAwait(false);
            foreach (ReadingRow row in rows)
            {
                foreach (StaEntity o in StaGraph.Observations(row, field))
                {
                    yield return o;
                }
            }

            if (rows.Count < chunk)
            {
                yield break;
            }

            chunk = Math.Min(chunk * 4, ScanChunk);
            ReadingRow last = rows[^1];
            after = new ScanCursor(last.Ts, last.Site, last.Node, last.Boot, last.Seq);
        }
    }

    private sealed class Pager(int skip, int top)
    {
        private readonly List<StaEntity> _page = [];

        public long Matched { get; private set; }

        public bool More { get; private set; }

        public void Offer(StaEntity e)
        {
            Matched++;
            if (Matched <= skip)
            {
                return;
            }

            if (_page.Count < top)
            {
                _page.Add(e);
            }
            else
            {
                More = true;
            }
        }

        public Page Result(long? count) => new(_page, count, More);
    }

    /// <summary>
    /// What the database can narrow before the filter runs: the scope of the path, and from the filter's top-level
    /// "and" terms a time window and an equality on the datastream, station or property. The whole filter still
    /// runs on every observation, so this only ever removes rows that could not match. Null: nothing can match.
    /// </summary>
    private static (ReadingScan? Scan, string? Field) Pushdown(ObservationScope scope, FilterExpr? filter)
    {
        string? site = scope.Site, node = scope.Node, field = scope.Field;
        long? from = null, to = null;
        bool contradiction = false;
        void Restrict(ref string? slot, string value)
        {
            if (slot != null && slot != value)
            {
                contradiction = true;
            }

            slot = value;
        }

        var terms = new List<FilterExpr>();
        Conjuncts(filter, terms);
        foreach (FilterExpr t in terms)
        {
            if (t is not Binary { Left: var left, Right: var right, Op: var op })
            {
                continue;
            }

            (PropertyPath? path, object? literal, string cmp) = (left, right) switch
            {
                (PropertyPath p, Literal l) => (p, l.Value, op),
                (Literal l, PropertyPath p) => (p, l.Value, Flip(op)),
                _ => ((PropertyPath?)null, (object?)null, op),
            };
            if (path == null)
            {
                continue;
            }

            string name = string.Join('/', path.Segments).Replace("/id", "/@iot.id", StringComparison.Ordinal);
            if (literal is DateTimeOffset at && name is "phenomenonTime" or "resultTime")
            {
                long ms = at.ToUnixTimeMilliseconds();
                long floor = (long)Math.Floor(ms / 1000.0), ceil = (long)Math.Ceiling(ms / 1000.0);
                switch (cmp)
                {
                    case "ge":
                        from = Math.Max(from ?? long.MinValue, ceil);
                        break;
                    case "gt":
                        from = Math.Max(from ?? long.MinValue, floor + 1);
                        break;
                    case "le":
                        to = Math.Min(to ?? long.MaxValue, floor);
                        break;
                    case "lt":
                        to = Math.Min(to ?? long.MaxValue, ceil - 1);
                        break;
                    case "eq":
                        from = Math.Max(from ?? long.MinValue, ceil);
                        to = Math.Min(to ?? long.MaxValue, floor);
                        break;
                }
            }
            else if (literal is string id && cmp == "eq")
            {
                string[] parts = id.Split(':');
                switch (name)
                {
                    case "Datastream/@iot.id" when parts.Length == 3 && StaCatalog.IsProperty(parts[2]):
                        Restrict(ref site, parts[0]);
                        Restrict(ref node, parts[1]);
                        Restrict(ref field, parts[2]);
                        break;
                    case "Datastream/@iot.id":
                        contradiction = true; // no such datastream
                        break;
                    case "FeatureOfInterest/@iot.id" or "Datastream/Thing/@iot.id" when parts.Length == 2:
                        Restrict(ref site, parts[0]);
                        Restrict(ref node, parts[1]);
                        break;
                    case "Datastream/ObservedProperty/@iot.id" when StaCatalog.IsProperty(id):
                        Restrict(ref field, id);
                        break;
                }
            }
        }

        if (contradiction || from > to)
        {
            return (null, null);
        }

        return (new ReadingScan(site, node, field, from, to, false), field);
    }

    private static string Flip(string op) => op switch { "gt" => "lt", "ge" => "le", "lt" => "gt", "le" => "ge", _ => op };

    private static void Conjuncts(FilterExpr? e, List<FilterExpr> into)
    {
        if (e is Binary { Op: "and" } b)
        {
            Conjuncts(b.Left, into);
            Conjuncts(b.Right, into);
        }
        else if (e != null)
        {
            into.Add(e);
        }
    }

    private static Comparison<StaEntity> Order(Request r, StaQuery q) => (a, b) =>
    {
        foreach ((FilterExpr expr, bool desc) in q.OrderBy)
        {
            int c = ODataFilter.CompareValues(ODataFilter.Evaluate(expr, p => Resolve(r, a, p)), ODataFilter.Evaluate(expr, p => Resolve(r, b, p)));
            if (c != 0)
            {
                return desc ? -c : c;
            }
        }

        return a.Ts != b.Ts ? a.Ts.CompareTo(b.Ts) : string.CompareOrdinal(a.Id, b.Id);
    };

    private async Task<JsonObject> SerializeAsync(Request r, StaEntity e, StaQuery q)
    {
        bool Selected(string name) => q.Select == null || q.Select.Contains(name);
        string self = $"{r.BaseUrl}/{e.Set.Name}('{e.Id}')";
        var o = new JsonObject();
        if (Selected("@iot.id"))
        {
            o["@iot.id"] = e.Id;
        }

        if (Selected("@iot.selfLink"))
        {
            o["@iot.selfLink"] = self;
        }

        foreach (string p in e.Set.Properties)
        {
            if (Selected(p) && e.Props.TryGetValue(p, out object? v) && v != null)
            {
                o[p] = ToJson(v);
            }
        }

        foreach (StaNavigation nav in e.Set.Navigations)
        {
            ExpandItem? x = q.Expand.FirstOrDefault(i => i.Navigation == nav.Name);
            if (x == null)
            {
                if (Selected(nav.Name))
                {
                    o[$"{nav.Name}@iot.navigationLink"] = $"{self}/{nav.Name}";
                }

                continue;
            }

            if (!nav.Many)
            {
                StaEntity? target = r.Graph.ToOne(e, nav.Name);
                o[nav.Name] = target == null ? null : await SerializeAsync(r, target, x.Query).ConfigureAwait(false);
                continue;
            }

            Page page = await CollectAsync(r, NavigationOf(r, e, nav), x.Query).ConfigureAwait(false);
            var items = new JsonArray();
            foreach (StaEntity member in page.Items)
            {
                items.Add(await SerializeAsync(r, member, x.Query).ConfigureAwait(false));
            }

            if (page.Count is long count)
            {
                o[$"{nav.Name}@iot.count"] = count;
            }

            o[nav.Name] = items;
            if (page.More)
            {
                o[$"{nav.Name}@iot.nextLink"] = $"{self}/{nav.Name}?$top={x.Query.EffectiveTop}&$skip={x.Query.Skip + x.Query.EffectiveTop}";
            }
        }

        return o;
    }

    private static JsonNode? ToJson(object? v) => v switch
    {
        null => null,
        DateTimeOffset d => JsonValue.Create(d.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)),
        double d => JsonValue.Create(d),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        JsonNode n => n.DeepClone(),
        _ => JsonValue.Create(v.ToString()),
    };

    private static string NextLink(string url, StaQuery q)
    {
        var pairs = q.Raw.Where(kv => kv.Key is not ("$skip" or "$top")).ToList();
        pairs.Add(new("$top", q.EffectiveTop.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        pairs.Add(new("$skip", (q.Skip + q.EffectiveTop).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return url + "?" + string.Join('&', pairs.Select(kv => kv.Key + "=" + Uri.EscapeDataString(kv.Value)));
    }
}
