namespace EdgeSensors.Node.Config;

/// <summary>How a node spends the time between samples.</summary>
public enum PowerMode
{
    /// <summary>Timer deep sleep between cycles: battery and solar nodes.</summary>
    DeepSleep = 0,

    /// <summary>Always on, Wi-Fi and MQTT kept up: mains-powered nodes.</summary>
    AlwaysOn = 1,
}
