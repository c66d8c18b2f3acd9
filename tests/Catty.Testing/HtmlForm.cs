using System.Net;
using System.Text.RegularExpressions;

namespace Catty.Testing;

/// <summary>Reads the fields of the server's own HTML forms, as a browser submitting them would.</summary>
public static partial class HtmlForm
{
    /// <summary>The value of the form field named <paramref name="name"/> in <paramref name="html"/>.</summary>
    public static string Value(string html, string name)
    {
        foreach (Match input in InputTag().Matches(html))
        {
            if (input.Value.Contains($"name=\"{name}\"", StringComparison.Ordinal))
            {
                var value = ValueAttribute().Match(input.Value);
                return value.Success ? WebUtility.HtmlDecode(value.Groups[1].Value) : "";
            }
        }

        throw new InvalidOperationException($"No field '{name}' in the page:\n{html}");
    }

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();
}
