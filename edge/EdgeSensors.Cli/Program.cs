using System.CommandLine;
using EdgeSensors.Cli.Commands;

var root = new RootCommand(
    "edgesensors — the field technicians' tool for the EdgeSensors salinity network (Hậu Giang).\n"
    + "Typical afternoon: node add → node config → node flash → node calibrate → node watch → gateway status → doctor.");
GatewayTarget.AddTo(root);
root.Subcommands.Add(SalinityCommand.Create());
root.Subcommands.Add(NodeCommands.Create());
root.Subcommands.Add(OperatorCommands.Create());
root.Subcommands.Add(SmsCommands.Create());
root.Subcommands.Add(GatewayCommands.Status());
root.Subcommands.Add(GatewayCommands.Doctor());
return await root.Parse(args).InvokeAsync();
