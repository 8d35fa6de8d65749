using System.Globalization;
using System.Text.RegularExpressions;

namespace RulesMfa.Tests.Telemetry;

/// <summary>The samples of one scrape of <c>/metrics</c> in Prometheus's text format, read by name and labels.</summary>
internal sealed partial class PrometheusScrape(IReadOnlyList<PrometheusScrape.Sample> samples)
{
    internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public IReadOnlyList<Sample> Samples => samples;

    public static async Task<PrometheusScrape> FromAsync(HttpClient http, string url)
    {
        var response = await http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"scrape of {url}:\n{text}");
        return Parse(text);
    }

    public static PrometheusScrape Parse(string text) => new(text.Split('\n')
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => SampleLine().Match(line))
        .Where(match => match.Success)
        .Select(match => new Sample(
            match.Groups["name"].Value,
            LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(label => label.Groups[1].Value, label => label.Groups[2].Value),
            double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)))
        .ToList());

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include every one of <paramref name="labels"/> (0 when none).</summary>
    public double Value(string name, params (string Name, string Value)[] labels) => samples
        .Where(sample => sample.Name == name && labels.All(label => sample.Labels.GetValueOrDefault(label.Name) == label.Value))
        .Sum(sample => sample.Value);

    /// <summary>The distinct values of label <paramref name="label"/> among the samples of <paramref name="name"/> that have <paramref name="tenant"/>.</summary>
    public IReadOnlyList<string> LabelValues(string name, string tenant, string label) => samples
        .Where(sample => sample.Name == name && sample.Labels.GetValueOrDefault("tenant") == tenant && sample.Labels.ContainsKey(label))
        .Select(sample => sample.Labels[label]).Distinct().Order(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \S+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
