namespace Plaza.Tests.Infrastructure;

/// <summary>Reads a server-sent event stream the way a browser's EventSource would, one event's data at a time.</summary>
public static class SseReader
{
    /// <summary>The next event's data line, skipping keep-alive pings.</summary>
    public static async Task<string> NextDataAsync(StreamReader reader, CancellationToken ct)
    {
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal) && !line.Contains("\"ping\"", StringComparison.Ordinal))
            {
                return line["data: ".Length..];
            }
        }
        throw new EndOfStreamException("The event stream ended.");
    }
}
