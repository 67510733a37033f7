using System.Text.Json.Nodes;
using Gaze.Reporting;
using Gaze.Tests.Support;

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

    [Fact]
    public void Non_finite_numbers_are_written_as_strings_and_read_back()
    {
        ResultsDocument results;
        using (var run = FakeRun.Write()) results = ResultsJson.Read(Path.Combine(run.Output, "results.json"));
        var image = results.Images[0] with
        {
            Predictions = [results.Images[0].Predictions[0] with { Logit = double.NaN, Probability = double.PositiveInfinity }],
        };

        string json = ResultsJson.Serialize(results with { Images = [image] });

        Assert.Contains("\"logit\": \"NaN\"", json);
        Assert.Contains("\"probability\": \"Infinity\"", json);
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("results.json"), json);
        Assert.True(double.IsNaN(ResultsJson.Read(temp.File("results.json")).Images[0].Predictions[0].Logit));
    }

    [Fact]
    public void A_complete_run_says_so_and_older_files_without_the_fields_read_as_complete()
    {
        var json = Valid();
        Assert.True(json["complete"]!.GetValue<bool>());
        Assert.Equal(0, json["images_left"]!.GetValue<int>());

        json.AsObject().Remove("complete");
        json.AsObject().Remove("images_left");
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("results.json"), json.ToJsonString());
        Assert.True(ResultsJson.Read(temp.File("results.json")).Complete);
    }
}
