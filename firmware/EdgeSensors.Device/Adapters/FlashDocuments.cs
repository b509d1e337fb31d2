using System.IO;
using EdgeSensors.Node.Cycle;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>Small documents on internal flash (I:\node.json, I:\config.json), replaced by writing a temp file and renaming it.</summary>
    public sealed class FlashDocuments : IDocumentStorage
    {
        private readonly string _root;

        public FlashDocuments(string root)
        {
            _root = root;
        }

        public byte[]? Read(string name)
        {
            string path = _root + name;
            if (!File.Exists(path))
            {
                return null;
            }

            using (var f = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                byte[] data = new byte[(int)f.Length];
                int read = 0;
                while (read < data.Length)
                {
                    int n = f.Read(data, read, data.Length - read);
                    if (n <= 0)
                    {
                        break;
                    }

                    read += n;
                }

                return data;
            }
        }

        public void Write(string name, byte[] data)
        {
            string path = _root + name;
            string temp = path + ".tmp";
            using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write))
            {
                f.Write(data, 0, data.Length);
                f.Flush();
            }

            if (File.Exists(path))
            {
                File.Delete(path);
            }

            File.Move(temp, path);
        }
    }
}
