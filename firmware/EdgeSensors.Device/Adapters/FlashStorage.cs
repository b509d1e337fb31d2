using System.IO;
using EdgeSensors.Node.Outbox;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>The outbox file on internal flash (I:\outbox.bin).</summary>
    public sealed class FlashStorage : IRandomAccessStorage
    {
        private readonly FileStream _file;

        public FlashStorage(string path)
        {
            _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
        }

        public long Length => _file.Length;

        public int Read(long offset, byte[] buffer, int count)
        {
            _file.Seek(offset, SeekOrigin.Begin);
            int total = 0;
            while (total < count)
            {
                int n = _file.Read(buffer, total, count - total);
                if (n <= 0)
                {
                    break;
                }

                total += n;
            }

            return total;
        }

        public void Write(long offset, byte[] buffer, int count)
        {
            _file.Seek(offset, SeekOrigin.Begin);
            _file.Write(buffer, 0, count);
        }

        public void Flush() => _file.Flush();
    }
}
