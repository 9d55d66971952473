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
    /// Escapes <paramref name="text"/> for MessageFormat: every <c>'</c> doubled, and each stretch of <c>{</c>,
    /// <c>}</c> and <c>'</c> that holds a brace quoted as one literal part (<c>{}</c> becomes <c>'{}'</c>, <c>{'}</c>
    /// becomes <c>'{''}'</c>). Closing and reopening a quoted part beside a doubled quote would not do: Java reads
    /// <c>'{''''}'</c> (close, doubled quote, reopen) as <c>{''}</c>. Quoting the braces also breaks every <c>${</c>, so Keycloak's variable step
    /// finds nothing to replace.
    /// </summary>
    /// <param name="text">The literal text (HTML or plain).</param>
    /// <returns>A MessageFormat pattern that formats to <paramref name="text"/>.</returns>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 8);
        var quoted = false;
        foreach (var c in text)
        {
            if (c is '{' or '}')
            {
                if (!quoted)
                {
                    builder.Append('\'');
                    quoted = true;
                }

                builder.Append(c);
            }
            else if (c == '\'')
            {
                // A doubled quote means one quote inside and outside a quoted part alike, so it never closes one.
                builder.Append("''");
            }
            else
            {
                if (quoted)
                {
                    builder.Append('\'');
                    quoted = false;
                }

                builder.Append(c);
            }
        }

        if (quoted)
        {
            builder.Append('\'');
        }

        return builder.ToString();
    }
}
