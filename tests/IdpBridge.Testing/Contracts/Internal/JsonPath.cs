using System.Globalization;
using System.Text;

namespace IdpBridge.Testing.Contracts.Internal;

/// <summary>
/// The JSON path of the value being checked, kept as a stack of steps and turned into text only when a problem is
/// reported, so a clean body of a hundred users costs no string at all.
/// </summary>
internal sealed class JsonPath
{
    private readonly List<(string? Name, int Index)> steps = new(16);

    public void PushName(string name) => steps.Add((name, -1));

    public void PushIndex(int index) => steps.Add((null, index));

    public void Pop() => steps.RemoveAt(steps.Count - 1);

    /// <summary><c>$.config.foo</c>, <c>$.attributes[0].permissions</c>, or <c>$.config['kc.org.domain']</c> for names that are not plain.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("$");
        foreach (var (name, index) in steps)
        {
            if (name is null)
            {
                text.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else if (name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                text.Append('.').Append(name);
            }
            else
            {
                text.Append("['").Append(name.Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
            }
        }

        return text.ToString();
    }
}
