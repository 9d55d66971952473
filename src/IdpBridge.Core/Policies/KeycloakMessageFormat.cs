using System.Text;

namespace IdpBridge.Core.Policies;

/// <summary>
/// Writes text so that Keycloak's <c>msg()</c> shows it literally. Keycloak's <c>MessageFormatterMethod</c>
/// (services/src/main/java/org/keycloak/theme/beans/MessageFormatterMethod.java) first replaces <c>${key}</c> with
/// other messages (<c>TemplatingUtil.resolveVariables</c>), then formats the value with
/// <c>java.text.MessageFormat</c>, where <c>'</c> quotes and <c>{</c> opens a placeholder. Realm localization texts
/// (<c>termsText</c>...) go through both.
/// </summary>
public static class KeycloakMessageFormat
{
    /// <summary>
    /// Escapes <paramref name="text"/> for MessageFormat: every <c>'</c> doubled, and each run of <c>{</c>/<c>}</c>
    /// quoted as one literal (<c>'{}'</c>; quoting braces one by one would write <c>'{''}'</c>, where Java reads the
    /// middle <c>''</c> as a quote character). Quoting the braces also breaks every <c>${</c>, so Keycloak's
    /// variable step finds nothing to replace.
    /// </summary>
    /// <param name="text">The literal text (HTML or plain).</param>
    /// <returns>A MessageFormat pattern that formats to <paramref name="text"/>.</returns>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                builder.Append("''");
            }
            else if (c is '{' or '}')
            {
                builder.Append('\'');
                while (i < text.Length && text[i] is '{' or '}')
                {
                    builder.Append(text[i]);
                    i++;
                }

                builder.Append('\'');
                i--;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
