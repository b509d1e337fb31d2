using System.Runtime.CompilerServices;
using System.Text.Json;

namespace EdgeSensors.Cli.Commands;

/// <summary>Reads the gateway's server-sent events and yields one node's readings.</summary>
public static class LiveReadings
{
    public static async IAsyncEnumerable<JsonElement> StreamAsync(string gatewayUrl, string node, double quietSeconds, [EnumeratorCancellation] CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(gatewayUrl), Timeout = Timeout.InfiniteTimeSpan };
        using HttpResponseMessage response = await http.GetAsync("/api/public/live", HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
        string? eventName = null;
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (quietSeconds > 0)
            {
                quiet.CancelAfter(TimeSpan.FromSeconds(quietSeconds));
            }

            string? line;
            try
            {
                line = await reader.ReadLineAsync(quiet.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"no reading from {node} for {quietSeconds} s: is it powered, in range of the Wi-Fi, and registered?");
            }

            if (line == null)
            {
                yield break;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "reading")
            {
                JsonElement e = JsonDocument.Parse(line[6..]).RootElement.Clone();
                if (e.TryGetProperty("node", out JsonElement n) && n.GetString() == node)
                {
                    yield return e;
                }
            }
        }
    }
}
