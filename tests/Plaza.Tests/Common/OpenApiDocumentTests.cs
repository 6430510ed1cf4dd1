using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plaza.Tests.Federation;

namespace Plaza.Tests.Common;

/// <summary>
/// The API description the node serves at <c>/openapi/v1.json</c> against the copy committed as
/// <c>docs/openapi.json</c>, text for text (indented, in the order served), so the committed document
/// cannot fall behind the endpoints. Like <see cref="JsonSnapshots"/>: <c>PLAZA_UPDATE_SNAPSHOTS=1</c>
/// rewrites the file in the source tree; otherwise the copy next to the test assembly is compared.
/// </summary>
public sealed class OpenApiDocumentTests
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public async Task The_served_API_description_matches_the_committed_docs_openapi_json()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        using var client = app.CreateClient();

        var served = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";

        if (JsonSnapshots.Updating)
        {
            File.WriteAllText(CommittedPath(), served);
            return;
        }
        var copy = Path.Combine(AppContext.BaseDirectory, "docs", "openapi.json");
        Assert.True(File.Exists(copy), $"No docs/openapi.json next to the tests; run with {JsonSnapshots.UpdateVariable}=1 to write it, review it and commit it.");
        var committed = File.ReadAllText(copy).ReplaceLineEndings("\n");
        Assert.True(committed == served,
            $"docs/openapi.json differs from /openapi/v1.json (- committed, + served):\n{JsonSnapshots.Diff(committed, served)}\n" +
            $"If the change is intended, run with {JsonSnapshots.UpdateVariable}=1 and commit docs/openapi.json.");
    }

    /// <summary>docs/openapi.json in the source tree: the folder above this file's that holds Plaza.slnx.</summary>
    private static string CommittedPath([CallerFilePath] string sourceFile = "")
    {
        var folder = new DirectoryInfo(Path.GetDirectoryName(sourceFile)!);
        while (!File.Exists(Path.Combine(folder.FullName, "Plaza.slnx")))
        {
            folder = folder.Parent ?? throw new InvalidOperationException($"No Plaza.slnx above {sourceFile}.");
        }
        return Path.Combine(folder.FullName, "docs", "openapi.json");
    }
}
