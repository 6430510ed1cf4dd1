using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Plaza.Tests.Federation;

/// <summary>
/// Committed expected JSON (<c>Federation/Snapshots/*.json</c>) of the documents the node sends and serves,
/// compared as JSON: the same properties with the same values, array items in the same order. The order of an
/// object's properties is not compared: nothing that reads ActivityStreams, NodeInfo or WebFinger depends on it.
/// <para>
/// Only what is random per run is normalised: the fresh GUID at the end of the ids the node mints for its
/// activities and Flags (<c>…/activities/{kind}/{guid}</c>, <c>…/actor/flags/{guid}</c>) becomes
/// <c>{guid-1}</c>, <c>{guid-2}</c>… in order of first appearance in the document, so a document that names
/// the same id twice (an Undo and the Announce it embeds) still shows that it does. Everything else comes
/// from a fixed fixture: shop, keys, clock, peers (a hub's Announce id is a hash of the post, so it stays).
/// </para>
/// <para>
/// <c>PLAZA_UPDATE_SNAPSHOTS=1</c> writes the files into the source tree instead of comparing (then build
/// again: the tests read the copies next to the test assembly). A mismatch prints a line diff of the two
/// documents with their properties sorted.
/// </para>
/// </summary>
public sealed partial class JsonSnapshots(string sourceFile)
{
    public const string UpdateVariable = "PLAZA_UPDATE_SNAPSHOTS";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly List<string> failures = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    public static JsonSnapshots Here([CallerFilePath] string sourceFile = "") => new(sourceFile);

    internal static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true";

    private string SourceFolder => Path.Combine(Path.GetDirectoryName(sourceFile)!, "Snapshots");

    private static string OutputFolder => Path.Combine(AppContext.BaseDirectory, "Federation", "Snapshots");

    /// <summary>Compares <paramref name="json"/> with <c>Snapshots/{name}.json</c> (or writes it when updating); failures are reported by <see cref="Verify"/>.</summary>
    public void Match(string name, string json)
    {
        Assert.True(names.Add(name), $"Two documents share the snapshot name {name}.");
        var actual = Normalise(json);
        if (Updating)
        {
            Directory.CreateDirectory(SourceFolder);
            File.WriteAllText(Path.Combine(SourceFolder, name + ".json"), actual);
            return;
        }
        var path = Path.Combine(OutputFolder, name + ".json");
        if (!File.Exists(path))
        {
            failures.Add($"No snapshot {name}.json yet; run with {UpdateVariable}=1 to write it, review it and commit it. The document:\n{actual}");
            return;
        }
        var expected = File.ReadAllText(path);
        var (expectedLines, actualLines) = (Canonical(expected), Canonical(actual));
        if (expectedLines != actualLines)
        {
            failures.Add($"{name}.json differs (- snapshot, + what the node sent; properties sorted):\n{Diff(expectedLines, actualLines)}");
        }
    }

    /// <summary>Fails with every mismatch at once, so one run shows all that changed.</summary>
    public void Verify()
    {
        if (failures.Count > 0)
        {
            Assert.Fail(string.Join("\n\n", failures) + $"\n\nIf the change is intended, run with {UpdateVariable}=1 and commit the snapshots.");
        }
    }

    /// <summary>The document as it will be committed: GUIDs numbered, indented, properties in the order sent.</summary>
    private static string Normalise(string json)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var replaced = Guid().Replace(json, m =>
        {
            if (!numbers.TryGetValue(m.Value, out var n))
            {
                numbers[m.Value] = n = numbers.Count + 1;
            }
            return $"{{guid-{n}}}";
        });
        return JsonNode.Parse(replaced)!.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }

    private static string Canonical(string json) =>
        Sorted(JsonNode.Parse(json))?.ToJsonString(Indented).ReplaceLineEndings("\n") ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };

    /// <summary>A unified-style line diff (longest common subsequence), with three lines of context.</summary>
    internal static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }
        var lines = new List<(char Mark, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', a[x++]));
                y++;
            }
            else if (x < a.Length && (y == b.Length || common[x + 1, y] >= common[x, y + 1]))
            {
                lines.Add(('-', a[x++]));
            }
            else
            {
                lines.Add(('+', b[y++]));
            }
        }
        var shown = new StringBuilder();
        var last = -1;
        for (var k = 0; k < lines.Count; k++)
        {
            var near = Enumerable.Range(Math.Max(0, k - 3), Math.Min(lines.Count, k + 4) - Math.Max(0, k - 3)).Any(n => lines[n].Mark != ' ');
            if (!near)
            {
                continue;
            }
            if (last >= 0 && k > last + 1)
            {
                shown.AppendLine("  …");
            }
            shown.Append(lines[k].Mark).Append(' ').AppendLine(lines[k].Text);
            last = k;
        }
        return shown.ToString();
    }

    [GeneratedRegex("(?<=/(?:activities/[a-z]+|flags)/)[0-9a-f]{32}(?![0-9a-f])")]
    private static partial Regex Guid();
}
