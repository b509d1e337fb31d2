using EdgeSensors.Bench;

string which = args.Length > 0 ? args[0] : "group-commit";
switch (which)
{
    case "group-commit":
        await GroupCommitBench.RunAsync(nodes: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100, duration: TimeSpan.FromSeconds(5));
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark '{which}'. Known: group-commit");
        return 1;
}
