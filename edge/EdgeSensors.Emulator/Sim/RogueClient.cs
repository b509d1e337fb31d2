using EdgeSensors.Node.Protocol;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeSensors.Emulator.Sim;

/// <summary>
/// Misbehaviour a broken or hostile node shows the gateway: garbage, oversize payloads, another node's topic, wrong
/// credentials, floods. It uses its own short-lived connection with the node's identity (a real bad firmware would
/// use the node's one connection; the effect on the gateway is the same).
/// </summary>
public static class RogueClient
{
    /// <summary>
    /// Runs the misbehaviour until the gateway has answered it. The rogue shares the node's client id, so the real
    /// node reconnecting (session takeover) can cut it off before its publish is answered; it then tries again, a few
    /// times, so a fault the report counts as injected is one the gateway really saw.
    /// </summary>
    public static async Task<int> RunAsync(FaultKind kind, string host, int port, string node, string secret, string otherNode, Random random, int attempts = 6)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(kind, host, port, node, secret, otherNode, random).ConfigureAwait(false);
            }
            catch (Exception) when (attempt < attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt)).ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> RunOnceAsync(FaultKind kind, string host, int port, string node, string secret, string otherNode, Random random)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        string password = kind == FaultKind.WrongCredentials ? secret + "-wrong" : secret;
        var options = new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId(node).WithCredentials(node, password)
            .WithProtocolVersion(MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(10)).Build();
        try
        {
            await client.ConnectAsync(options).ConfigureAwait(false);
        }
        catch (Exception) when (kind == FaultKind.WrongCredentials)
        {
            return 1; // refused, as it should be
        }

        int refused = 0;
        async Task Send(string topic, byte[] payload)
        {
            var r = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).ConfigureAwait(false);
            if (!r.IsSuccess)
            {
                refused++;
            }
        }

        switch (kind)
        {
            case FaultKind.Garbage:
                byte[] junk = new byte[random.Next(1, 400)];
                random.NextBytes(junk);
                await Send(Topics.Telemetry(node), junk).ConfigureAwait(false);
                break;
            case FaultKind.Oversize:
                try
                {
                    await Send(Topics.Telemetry(node), new byte[Topics.MaxPayloadBytes + 1 + random.Next(10000)]).ConfigureAwait(false);
                }
                catch (Exception) when (!client.IsConnected)
                {
                    return 1; // the gateway may close the connection on an oversize packet: that is its answer
                }

                break;
            case FaultKind.ForeignTopic:
                await Send(Topics.Telemetry(otherNode), "{\"v\":1}"u8.ToArray()).ConfigureAwait(false);
                break;
            case FaultKind.Flood:
                // A stuck firmware loop re-sending its status as fast as it can.
                byte[] status = StatusEncoder.Offline(node, 1);
                for (int i = 0; i < 200; i++)
                {
                    await Send(Topics.Status(node), status).ConfigureAwait(false);
                }

                break;
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync().ConfigureAwait(false);
        }

        return refused;
    }
}
