using System.Text.Json.Nodes;

namespace Gaze.Tests.Reporting;

/// <summary>The schema check itself must catch what it is there to catch.</summary>
public class ResultsSchemaTests
{
    private static JsonNode Valid()
    {
        using var run = FakeRun.Write();
        return JsonNode.Parse(File.ReadAllText(Path.Combine(run.Output, "results.json")))!;
    }

    [Fact]
    public void Extra_fields_are_allowed()
    {
        var json = Valid();
        json["extra"] = 1;
        json["images"]![0]!["thumbnail"] = "x";
        Assert.Empty(ResultsSchema.Problems(json.ToJsonString()));
    }

    [Fact]
    public void Missing_and_mistyped_fields_are_reported_by_path()
    {
        var json = Valid();
        json["settings"]!.AsObject().Remove("eigen_smooth");
        json["model"]!["input"]!["size"] = new JsonArray(224);
        json["images"]![0]!["explanations"]![1]!["target"] = "243";
        json["images"]![0]!["explanations"]![0]!["raw"] = 5;
        json["images"]![2]!["width"] = null;
        json["images"]![0]!["predictions"]![0]!["probability"] = 1.5;

        Assert.Equal(
            [
                "$.model.input.size: expected [height, width], got 1 values",
                "$.settings.eigen_smooth: missing",
                "$.images[0].predictions[0].probability: outside [0, 1]",
                "$.images[0].explanations[0].raw: expected StringOrNull, got Number 5",
                "$.images[0].explanations[1].target: expected Integer, got String \"243\"",
                "$.images[2].width: expected Integer, got Null null",
            ],
            ResultsSchema.Problems(json.ToJsonString()));
    }
}
