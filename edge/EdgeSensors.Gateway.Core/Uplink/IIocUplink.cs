namespace EdgeSensors.Gateway.Uplink;

/// <summary>
/// A connection to the IOC. The forwarder (ordering, batching, checkpoints, priority lane) sees only this; the MQTT
/// broker adapter is one implementation, and other targets (Azure IoT Hub over its device MQTT interface, AMQP
/// brokers) are further adapters, not forks of the forwarder.
/// </summary>
public interface IIocUplink : IAsyncDisposable
{
    /// <summary>True while connected.</summary>
    bool IsConnected { get; }

    /// <summary>Why the link last went down by itself (the IOC closed it, a refused packet, a network error); null if it has not.</summary>
    string? LastDisconnectReason => null;

    /// <summary>Connects (or throws with the reason).</summary>
    Task ConnectAsync(CancellationToken ct);

    /// <summary>
    /// Sends a message at least once. Messages are put on the wire in call order, so callers may have several in
    /// flight; the task completes true when the IOC acknowledged it, false when it refused or the link dropped.
    /// </summary>
    Task<bool> PublishAsync(IocMessage message, CancellationToken ct);

    /// <summary>
    /// The largest payload the receiving end takes (IoT Hub: 256 KB including properties). The forwarder splits a
    /// readings message that would be larger; a standard broker takes anything the gateway makes.
    /// </summary>
    int MaxPayloadBytes => int.MaxValue;

    /// <summary>True when the adapter sends the readings' ids as message properties (<see cref="IocMessage.Ids"/>); others are spared building them.</summary>
    bool CarriesIds => false;

    /// <summary>Drops the connection.</summary>
    Task DisconnectAsync();
}
