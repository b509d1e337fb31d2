using System.CommandLine;
using EdgeSensors.Cli.Commands;

var root = new RootCommand(
    "edgesensors — tools for the EdgeSensors salinity network (Hậu Giang): check probe readings, and (as they land) provision, flash and calibrate nodes.");
root.Subcommands.Add(SalinityCommand.Create());
return root.Parse(args).Invoke();
