using System.Collections;

namespace EdgeSensors.Node.Config;

/// <summary>A parsed JSON value (objects keep their members in order, in ArrayLists: no generics on the device).</summary>
public sealed class JsonValue
{
    private readonly ArrayList _names = new ArrayList();
    private readonly ArrayList _items = new ArrayList();

    internal JsonValue(JsonKind kind)
    {
        Kind = kind;
    }

    /// <summary>What this value is.</summary>
    public JsonKind Kind { get; }

    /// <summary>The number, when <see cref="Kind"/> is Number.</summary>
    public double Number { get; internal set; }

    /// <summary>True when the number was written without fraction or exponent.</summary>
    public bool IsInteger { get; internal set; }

    /// <summary>The string, when <see cref="Kind"/> is String.</summary>
    public string Text { get; internal set; } = string.Empty;

    /// <summary>The boolean, when <see cref="Kind"/> is Boolean.</summary>
    public bool Boolean { get; internal set; }

    /// <summary>Members of an object or items of an array.</summary>
    public int Count => _items.Count;

    /// <summary>Name of member i of an object.</summary>
    public string NameAt(int i) => (string)_names[i]!;

    /// <summary>Member or item i.</summary>
    public JsonValue At(int i) => (JsonValue)_items[i]!;

    /// <summary>The member with this name, or null.</summary>
    public JsonValue? Get(string name)
    {
        for (int i = 0; i < _names.Count; i++)
        {
            if ((string)_names[i]! == name)
            {
                return (JsonValue)_items[i]!;
            }
        }

        return null;
    }

    internal bool HasName(string name)
    {
        for (int i = 0; i < _names.Count; i++)
        {
            if ((string)_names[i]! == name)
            {
                return true;
            }
        }

        return false;
    }

    internal void AddMember(string name, JsonValue value)
    {
        _names.Add(name);
        _items.Add(value);
    }

    internal void AddItem(JsonValue value) => _items.Add(value);
}
