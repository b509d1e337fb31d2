namespace EdgeSensors.Node.Config;

/// <summary>Kind of a parsed JSON value.</summary>
public enum JsonKind
{
    /// <summary>null.</summary>
    Null = 0,

    /// <summary>true or false.</summary>
    Boolean = 1,

    /// <summary>A number.</summary>
    Number = 2,

    /// <summary>A string.</summary>
    String = 3,

    /// <summary>An array.</summary>
    Array = 4,

    /// <summary>An object.</summary>
    Object = 5,
}
