using System.Globalization;
using System.Text;

namespace IdpBridge.Keycloak.Http;

/// <summary>
/// Builds admin API paths relative to <c>{base}/admin/realms/</c>, escaping every segment with
/// <see cref="Uri.EscapeDataString(string)"/> so that realm names and ids with <c>/</c>, spaces or non-ASCII
/// characters reach the right resource.
/// </summary>
internal readonly struct KeycloakPath
{
    private readonly string value;

    private KeycloakPath(string value) => this.value = value;

    /// <summary>The list of realms itself (<c>admin/realms</c>).</summary>
    public static KeycloakPath Realms => new("");

    /// <summary>One realm and the segments below it.</summary>
    public static KeycloakPath Realm(string realm, params ReadOnlySpan<string> segments)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        var builder = new StringBuilder(Uri.EscapeDataString(realm));
        foreach (var segment in segments)
        {
            ArgumentException.ThrowIfNullOrEmpty(segment);
            builder.Append('/').Append(Uri.EscapeDataString(segment));
        }

        return new KeycloakPath(builder.ToString());
    }

    /// <summary>The path with a query string built from the non-null parameters, in the order given.</summary>
    public string WithQuery(params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var builder = new StringBuilder(value);
        var separator = '?';
        foreach (var (name, parameterValue) in parameters)
        {
            foreach (var text in Format(parameterValue))
            {
                builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(text));
                separator = '&';
            }
        }

        return builder.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => value;

    private static IEnumerable<string> Format(object? value) => value switch
    {
        null => [],
        // Keycloak (JAX-RS) reads booleans case-insensitively, but the contract and every example use lower case.
        bool flag => [flag ? "true" : "false"],
        string text => [text],
        IEnumerable<string> many => many,
        IFormattable formattable => [formattable.ToString(null, CultureInfo.InvariantCulture)],
        _ => [value.ToString() ?? ""],
    };
}
