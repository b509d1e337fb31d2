using System;

namespace EdgeSensors.Device.Parts;

/// <summary>
/// A chip on the I2C bus at register level. It answers only while its supply is up; when the supply goes it loses
/// its registers (each part says what it resets to).
/// </summary>
public abstract class I2cPart
{
    protected I2cPart(int address)
    {
        Address = address;
    }

    /// <summary>The 7-bit address the part answers on.</summary>
    public int Address { get; }

    /// <summary>Whether the part's supply is up.</summary>
    public bool Powered { get; private set; }

    /// <summary>Unplugged from the bus (a broken cable): never answers.</summary>
    public bool Unplugged { get; set; }

    /// <summary>Transactions the part acknowledged.</summary>
    public int Transactions { get; private set; }

    /// <summary>The supply went up or down.</summary>
    public void SetPowered(bool on)
    {
        if (on == Powered)
        {
            return;
        }

        Powered = on;
        if (on)
        {
            PowerOnReset();
        }
    }

    /// <summary>A master write (register pointer first); false when nobody acknowledged the address.</summary>
    public bool TryWrite(ReadOnlySpan<byte> data)
    {
        if (!Powered || Unplugged)
        {
            return false;
        }

        Transactions++;
        OnWrite(data);
        return true;
    }

    /// <summary>A master read from the current register pointer; false when nobody acknowledged the address.</summary>
    public bool TryRead(Span<byte> data)
    {
        if (!Powered || Unplugged)
        {
            return false;
        }

        Transactions++;
        OnRead(data);
        return true;
    }

    /// <summary>Registers as the datasheet gives them after power-on.</summary>
    protected abstract void PowerOnReset();

    protected abstract void OnWrite(ReadOnlySpan<byte> data);

    protected abstract void OnRead(Span<byte> data);
}
