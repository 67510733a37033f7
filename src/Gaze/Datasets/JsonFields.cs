using System.Text.Json;

namespace Gaze.Datasets;

/// <summary>
/// Field readers shared by Gaze's ground-truth files (<c>annotations.json</c>, <c>boxes.json</c>): each problem becomes
/// the file's own exception type, naming the field, through <paramref name="error"/>.
/// </summary>
/// <param name="error">Makes the exception for a field and its problem.</param>
internal sealed class JsonFields(Func<string, string, Exception> error)
{
    /// <summary>A box <c>[x0, y0, x1, y1]</c> of four integers with 0 &lt;= x0 &lt; x1 and 0 &lt;= y0 &lt; y1.</summary>
    public BoundingBox Box(JsonElement element, string field)
    {
        const string expected = "must be [x0, y0, x1, y1]: four integers with 0 <= x0 < x1 and 0 <= y0 < y1";
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != 4) throw error(field, expected);
        var values = new int[4];
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out values[i])) throw error(field, expected);
            i++;
        }
        if (values[0] < 0 || values[1] < 0 || values[2] <= values[0] || values[3] <= values[1])
            throw error(field, $"{expected}, got [{string.Join(", ", values)}]");
        return new BoundingBox(values[0], values[1], values[2], values[3]);
    }

    /// <summary>A string that is not empty.</summary>
    public string NonEmptyString(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.String) throw error(field, "must be a string");
        string value = element.GetString()!;
        return value.Length > 0 ? value : throw error(field, "is empty");
    }

    /// <summary>Refuses a field not in <paramref name="known"/>, so that a misspelt field is not silently ignored.</summary>
    public void RejectUnknown(JsonElement element, string prefix, params string[] known)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
                throw error(prefix + property.Name, $"unknown field (expected one of: {string.Join(", ", known)})");
        }
    }
}
