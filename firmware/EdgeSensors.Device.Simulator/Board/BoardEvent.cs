namespace EdgeSensors.Device.Simulator.Board;

/// <summary>Something the board saw, in order: a boot, a deep sleep, a Wi-Fi association, an MQTT packet, a console line.</summary>
/// <param name="Kind">boot, halt, deep_sleep, wifi_join, wifi_fail, tls_refused, mqtt_connect, publish, console, program_ended.</param>
/// <param name="Detail">What happened, for the test's message.</param>
/// <param name="Boot">The program run (1 = first power-on run).</param>
/// <param name="VirtualMs">Board time since the first power-on, ms.</param>
/// <param name="Topic">For publishes: the topic.</param>
/// <param name="Payload">For publishes: the payload.</param>
/// <param name="Number">A number that goes with the event (sleep duration ms for deep_sleep).</param>
public sealed record BoardEvent(string Kind, string Detail, int Boot, long VirtualMs, string? Topic = null, byte[]? Payload = null, long Number = 0);
