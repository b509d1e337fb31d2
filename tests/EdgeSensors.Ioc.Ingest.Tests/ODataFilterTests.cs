using CsCheck;
using EdgeSensors.Ioc.Ingest.SensorThings;

namespace EdgeSensors.Ioc.Ingest.Tests;

/// <summary>The SensorThings filter language: precedence, literals, functions; and a fuzz that finds no other failure than a clear 400.</summary>
public sealed class ODataFilterTests
{
    private static object? Eval(string filter, Dictionary<string, object?> props) =>
        ODataFilter.Evaluate(ODataFilter.Parse(filter), p => props.GetValueOrDefault(string.Join('/', p.Segments)));

    [Theory]
    [InlineData("result lt 10.00", true)]
    [InlineData("result add 5 gt 10", true)]
    [InlineData("result sub 5 eq 3.5 and not (result ge 9)", true)]
    [InlineData("result mul 2 eq 17 or name eq 'x'", true)]
    [InlineData("result div 0 eq 1", false)]
    [InlineData("result mod 2 eq 0.5", true)]
    [InlineData("-result lt 0", true)]
    [InlineData("round(result) eq 9 and floor(result) eq 8 and ceiling(result) eq 9", true)]
    [InlineData("substringof('ống', name) and startswith(name, 'C') and endswith(name, 'Tư')", true)]
    [InlineData("length(name) eq 11 and indexof(name, 'Cái') eq 5 and tolower(name) eq 'cống cái tư'", true)]
    [InlineData("substring(name, 5) eq 'Cái Tư' and substring(name, 0, 4) eq 'Cống' and concat(name, '!') eq 'Cống Cái Tư!'", true)]
    [InlineData("trim(' a ') eq 'a' and toupper('a') eq 'A'", true)]
    [InlineData("year(phenomenonTime) eq 2026 and month(phenomenonTime) eq 11 and day(phenomenonTime) eq 2 and hour(phenomenonTime) eq 6 and minute(phenomenonTime) eq 30", true)]
    [InlineData("phenomenonTime gt 2026-11-02T06:29:59Z and phenomenonTime lt 2026-11-02T13:31:00+07:00", true)]
    [InlineData("phenomenonTime lt now() and phenomenonTime gt mindatetime()", true)]
    [InlineData("missing eq null and result ne null", true)]
    [InlineData("missing gt 1", false)]
    [InlineData("name eq 'O''Brien'", false)]
    [InlineData("true and not false", true)]
    public void Expressions_evaluate_as_OData_says(string filter, bool expected)
    {
        var props = new Dictionary<string, object?>
        {
            ["result"] = 8.5,
            ["name"] = "Cống Cái Tư",
            ["phenomenonTime"] = new DateTimeOffset(2026, 11, 2, 6, 30, 0, TimeSpan.Zero),
        };
        Assert.Equal(expected, Eval(filter, props));
    }

    [Fact]
    public void And_binds_tighter_than_or_and_comparison_tighter_than_and()
    {
        var p = new Dictionary<string, object?> { ["a"] = 1.0, ["b"] = 2.0 };
        Assert.Equal(true, Eval("a eq 1 or a eq 2 and b eq 3", p)); // a eq 1 or (a eq 2 and b eq 3)
        Assert.Equal(false, Eval("(a eq 1 or a eq 2) and b eq 3", p));
        Assert.Equal(true, Eval("a add b mul 2 eq 5", p)); // 1 + (2 × 2)
    }

    [Theory]
    [InlineData("result lt")]
    [InlineData("(result lt 1")]
    [InlineData("result lt 1)")]
    [InlineData("name eq 'open")]
    [InlineData("frobnicate(name)")]
    [InlineData("round(result, 2) eq 1")]
    [InlineData("result lt 1 #")]
    [InlineData("2026-13-45T00:00:00Z eq phenomenonTime")]
    public void A_bad_expression_is_a_400_with_the_reason(string filter)
    {
        var ex = Assert.Throws<StaQueryException>(() => ODataFilter.Parse(filter));
        Assert.Equal(400, ex.Status);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void Orderby_lists_parse_with_their_directions()
    {
        var list = ODataFilter.ParseOrderBy("result desc, phenomenonTime,Datastream/Thing/name asc");
        Assert.Equal(["result", "phenomenonTime", "Datastream/Thing/name"], list.Select(o => o.Expr.ToString()));
        Assert.Equal([true, false, false], list.Select(o => o.Descending));
    }

    [Fact]
    public void Expand_options_nest()
    {
        StaQuery q = StaQuery.FromPairs([new("$expand", "Datastreams($filter=name eq 'a;b';$top=2;$expand=Observations($orderby=phenomenonTime desc;$top=1)),Locations,Datastreams/Sensor($select=name)")]);
        Assert.Equal(["Datastreams", "Locations", "Datastreams"], q.Expand.Select(x => x.Navigation));
        Assert.Equal(2, q.Expand[0].Query.Top);
        Assert.Equal("Observations", Assert.Single(q.Expand[0].Query.Expand).Navigation);
        Assert.Equal(1, q.Expand[0].Query.Expand[0].Query.Top);
        Assert.Equal(["name"], q.Expand[2].Query.Expand[0].Query.Select);
    }

    [Fact]
    public void Fuzz_any_text_parses_or_is_refused_with_a_400_never_another_exception()
    {
        string[] pieces = ["result", "name", "eq", "ne", "gt", "and", "or", "not", "add", "div", "(", ")", "'x'", "'", "1", "-", "2.5e3", ",", "/",
            "round(", "substringof(", "2026-11-02T06:00:00Z", "2026-11-02", "st_within(", "null", "true", "Datastream/Thing/name", " ", "$", "@iot.id", "§", "\u0000"];
        Gen.Int[0, pieces.Length - 1].Select(i => pieces[i]).Array[0, 20].Select(a => string.Concat(a)).Sample(text =>
        {
            try
            {
                FilterExpr e = ODataFilter.Parse(text);
                _ = ODataFilter.Evaluate(e, _ => 1.0);
            }
            catch (StaQueryException ex)
            {
                Assert.True(ex.Status is 400 or 501);
            }
        }, iter: 20_000);
    }
}
