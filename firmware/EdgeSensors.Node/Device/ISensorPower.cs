namespace EdgeSensors.Node.Device;

/// <summary>The switched sensor supply (a P-MOSFET on a GPIO): sensors draw nothing while the node sleeps.</summary>
public interface ISensorPower
{
    /// <summary>Powers the sensors and waits for them to settle.</summary>
    void PowerUp();

    /// <summary>Cuts their power.</summary>
    void PowerDown();
}
