namespace EdgeSensors.Node.Cycle;

/// <summary>Small named documents on the node's storage (the last good remote config).</summary>
public interface IDocumentStorage
{
    /// <summary>The document's bytes, or null when it does not exist.</summary>
    byte[]? Read(string name);

    /// <summary>Replaces the document (atomically where the medium allows).</summary>
    void Write(string name, byte[] data);
}
