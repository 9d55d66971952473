using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using IdpBridge.Core.Policies;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Policies;

[TestFixture]
public sealed class KeycloakTermsTextsTests
{
    private const string WordJoiner = "\u2060";
    private const string AwkwardTitle = "Términos y condiciones de 'Externos' {beta} <b>ñandú</b> & más";
    private const string AwkwardSummary = "Cambia el trato de users' data: ${realm} {0} '{'x'}' cuesta $5, C:\\ruta\\ y <script>alert('x')</script>";

    private static readonly Uri BaseUrl = new("https://idp.example.org/idpbridge/");

    private static KeycloakTermsOptions Options(params string[] supported) => new()
    {
        PublicBaseUrl = BaseUrl,
        DefaultLocale = "es",
        SupportedLocales = supported.Length == 0 ? ["es", "en"] : supported,
    };

    private static PolicyVersion Version(string title = "Política de privacidad", string? summary = "Se agrega GitHub.", int number = 2, params PolicyText[] more) => new(
        Realm: "externos",
        Policy: "privacy",
        Number: number,
        Kind: PolicyVersionKind.Material,
        PublishedAt: new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero),
        EffectiveAt: new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
        ContentHash: "hash",
        Texts: [new PolicyText("es", title, summary, "Texto\n", "sha-es"), .. more]);

    /// <summary>
    /// What java.text.MessageFormat.applyPattern + format(no arguments) does to a pattern: <c>''</c> is a quote in
    /// or out of a quoted part, a lone <c>'</c> opens or closes a quoted part, an unquoted <c>{</c> starts an
    /// argument (an error here, since nothing is meant to be formatted). Keycloak's variable step runs first and
    /// replaces <c>${...}</c>; the test refuses that sequence instead.
    /// </summary>
    private static string MessageFormatUnescape(string pattern)
    {
        Assert.That(pattern, Does.Not.Contain("${"), "Keycloak's TemplatingUtil would replace ${...} before MessageFormat");
        var result = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '\'')
                {
                    result.Append('\'');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else if (c == '{' && !quoted)
            {
                Assert.Fail($"unquoted '{{' at {i} in: {pattern}");
            }
            else
            {
                result.Append(c);
            }
        }

        Assert.That(quoted, Is.False, "a quoted part is left open");
        return result.ToString();
    }

    private static string Html(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    [TestCase("")]
    [TestCase("plain")]
    [TestCase("users' data")]
    [TestCase("''")]
    [TestCase("{}")]
    [TestCase("}{")]
    [TestCase("'{'")]
    [TestCase("{'}")]
    [TestCase("''{''}''")]
    [TestCase("a'{b}'c")]
    [TestCase("a{0}b{1,number}c")]
    [TestCase("${realm} $ \\ \\\\ $")]
    [TestCase(AwkwardTitle)]
    [TestCase(AwkwardSummary)]
    public void Escape_AwkwardText_RoundTripsThroughJavaRules(string text)
    {
        // Act
        var pattern = KeycloakMessageFormat.Escape(text);

        // Assert
        Assert.That(MessageFormatUnescape(pattern), Is.EqualTo(text));
    }

    [Test]
    public void Escape_AdjacentBraces_QuotedAsOneRun()
    {
        // Act
        var pattern = KeycloakMessageFormat.Escape("{}");

        // Assert: '{''}' would read back as {'}
        Assert.That(pattern, Is.EqualTo("'{}'"));
    }

    [Test]
    public void Escape_QuoteBetweenBraces_StaysInOneQuotedPart()
    {
        // Act
        var pattern = KeycloakMessageFormat.Escape("{'}");

        // Assert: closing and reopening around the doubled quote would write a pattern Java reads as {''}
        Assert.That(pattern, Is.EqualTo("'{''}'"));
    }

    [Test]
    public void Build_AwkwardSpanishTitleAndSummary_RoundTripsToIntendedTexts()
    {
        // Arrange
        var version = Version(AwkwardTitle, AwkwardSummary);

        // Act
        var es = KeycloakTermsTexts.Build(version, Options()).Single(text => text.Locale == "es");

        // Assert
        var title = "Términos y condiciones de 'Externos' {beta} &lt;" + WordJoiner + "b&gt;ñandú&lt;" + WordJoiner + "/b&gt; &amp; más";
        var summary = "Cambia el trato de users' data: ${realm} {0} '{'x'}' cuesta $5, C:\\ruta\\ y &lt;" + WordJoiner
            + "script&gt;alert('x')&lt;" + WordJoiner + "/script&gt;";
        var expectedHtml =
            "<p><strong>Versión 2</strong>, vigente desde el 1 de diciembre de 2026.</p>"
            + "<p><strong>Qué cambió:</strong> " + summary + "</p>"
            + "<p><a href=\"https://idp.example.org/idpbridge/policies/externos/privacy/v/2?lang=es\" target=\"_blank\">"
            + "Leer el texto completo: " + title + ", versión 2</a></p>";
        Assert.Multiple(() =>
        {
            Assert.That(MessageFormatUnescape(es.TermsTitle), Is.EqualTo(AwkwardTitle + " — versión 2"));
            Assert.That(MessageFormatUnescape(es.TermsText), Is.EqualTo(expectedHtml));
        });
    }

    [Test]
    public void Build_EnglishText_LocalisedLabelsDateAndLink()
    {
        // Arrange
        var version = Version(more: new PolicyText("en", "Privacy policy", "Adds GitHub to users' sign-in options.", "Text\n", "sha-en"));

        // Act
        var en = KeycloakTermsTexts.Build(version, Options()).Single(text => text.Locale == "en");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(MessageFormatUnescape(en.TermsTitle), Is.EqualTo("Privacy policy — version 2"));
            Assert.That(MessageFormatUnescape(en.TermsText), Is.EqualTo(
                "<p><strong>Version 2</strong>, in force from December 1, 2026.</p>"
                + "<p><strong>What changed:</strong> Adds GitHub to users' sign-in options.</p>"
                + "<p><a href=\"https://idp.example.org/idpbridge/policies/externos/privacy/v/2?lang=en\" target=\"_blank\">"
                + "Read the full text: Privacy policy, version 2</a></p>"));
            Assert.That(en.TermsText, Does.Contain("users'' sign-in"));
        });
    }

    [Test]
    public void Build_MachineCultureGerman_DatesStillFollowEachLocale()
    {
        // Arrange
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            // Act
            var texts = KeycloakTermsTexts.Build(Version(), Options());

            // Assert
            Assert.Multiple(() =>
            {
                Assert.That(texts[0].TermsText, Does.Contain("vigente desde el 1 de diciembre de 2026."));
                Assert.That(texts[1].TermsText, Does.Contain("in force from December 1, 2026."));
            });
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Test]
    public void Build_TimeZoneOfTheRealm_DateShownThere()
    {
        // Arrange: 02:00Z on 1 December is still 30 November in Buenos Aires (UTC-3).
        var version = Version() with { EffectiveAt = new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero) };
        var options = Options() with { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/Argentina/Buenos_Aires") };

        // Act
        var es = KeycloakTermsTexts.Build(version, options)[0];

        // Assert
        Assert.That(es.TermsText, Does.Contain("vigente desde el 30 de noviembre de 2026."));
    }

    [Test]
    public void Build_LocaleWithoutText_DefaultTextFirstAndFallback()
    {
        // Act
        var texts = KeycloakTermsTexts.Build(Version(), Options("en", "es", "pt-BR"));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(texts.Select(text => text.Locale), Is.EqualTo(new[] { "es", "en", "pt-BR" }));
            Assert.That(MessageFormatUnescape(texts[1].TermsTitle), Is.EqualTo("Política de privacidad — version 2"));
            Assert.That(MessageFormatUnescape(texts[2].TermsTitle), Is.EqualTo("Política de privacidad — versión 2"));
            Assert.That(texts[2].TermsText, Does.Contain("?lang=pt-BR\""));
        });
    }

    [Test]
    public void Build_NoSummary_NoChangeParagraph()
    {
        // Act
        var es = KeycloakTermsTexts.Build(Version(summary: null), Options())[0];

        // Assert
        Assert.That(es.TermsText, Does.Not.Contain("Qué cambió"));
    }

    [Test]
    public void Build_UnnumberedVersion_Refused()
    {
        // Act
        var exception = Assert.Throws<ArgumentException>(() => KeycloakTermsTexts.Build(Version(number: 0), Options()));

        // Assert
        Assert.That(exception!.Message, Does.StartWith("The version has no number yet"));
    }

    [Test]
    public void PolicyUrl_AwkwardSegments_EscapedAndSanitizerSafe()
    {
        // Act
        var url = KeycloakTermsTexts.PolicyUrl(new Uri("http://localhost:8081"), "mi reino/ñ", "priv'acy", 3, "pt-BR");

        // Assert
        Assert.That(url.AbsoluteUri, Is.EqualTo("http://localhost:8081/policies/mi%20reino%2F%C3%B1/priv%27acy/v/3?lang=pt-BR"));
    }

    [TestCase("ftp://example.org/")]
    [TestCase("https://example.org/?tenant=1")]
    public void PolicyUrl_BaseNotPlainHttp_Refused(string baseUrl)
    {
        // Act & Assert
        Assert.Throws<ArgumentException>(() => KeycloakTermsTexts.PolicyUrl(new Uri(baseUrl), "r", "p", 1, "es"));
    }

    // Allowed elements and attributes, as found in Keycloak's
    // services/src/main/java/org/keycloak/theme/KeycloakSanitizerPolicy.java (POLICY_DEFINITION): among many others,
    // p, strong, em, ul, li, br, a; on a: href matching ONSITE_URL or OFFSITE_URL, target matching "_blank", name;
    // requireRelNofollowOnLinks adds rel="nofollow". The three we use are listed here with their attributes.
    private static readonly Dictionary<string, string[]> AllowedByKeycloak = new()
    {
        ["p"] = [],
        ["strong"] = [],
        ["a"] = ["href", "target"],
    };

    // OFFSITE_URL from the same file.
    private static readonly Regex OffsiteUrl = new(
        @"^\s*(?:(?:ht|f)tps?://|mailto:)[\p{L}\p{N}][\p{L}\p{N}\p{Zs}\.\#@\$%\+&;:\-_~,\?=/!\(\)]*\s*$");

    private static readonly Regex Tag = new(@"<(/?)([A-Za-z][A-Za-z0-9]*)([^>]*)>");
    private static readonly Regex Attribute = new(@"\s([a-z]+)=""([^""]*)""");

    [Test]
    public void Build_AwkwardText_OnlyTagsAndAttributesKcSanitizeKeeps()
    {
        // Arrange
        var version = Version(AwkwardTitle, AwkwardSummary);

        // Act
        var html = KeycloakTermsTexts.Build(version, Options()).Select(text => MessageFormatUnescape(text.TermsText)).ToList();

        // Assert
        foreach (var text in html)
        {
            var tags = Tag.Matches(text);
            Assert.That(tags, Is.Not.Empty);
            foreach (Match tag in tags)
            {
                var name = tag.Groups[2].Value;
                Assert.That(AllowedByKeycloak.Keys, Does.Contain(name), tag.Value);
                foreach (Match attribute in Attribute.Matches(tag.Groups[3].Value))
                {
                    Assert.That(AllowedByKeycloak[name], Does.Contain(attribute.Groups[1].Value), tag.Value);
                    if (attribute.Groups[1].Value == "href")
                    {
                        Assert.That(WebUtility.HtmlDecode(attribute.Groups[2].Value), Does.Match(OffsiteUrl));
                    }
                    else if (attribute.Groups[1].Value == "target")
                    {
                        Assert.That(attribute.Groups[2].Value, Is.EqualTo("_blank"));
                    }
                }
            }
        }
    }

    [Test]
    public void Build_UserMarkup_StaysTextAfterKcSanitizeDecodesEntities()
    {
        // Arrange: KeycloakSanitizerMethod.decodeHtmlFull decodes entities until nothing changes, before sanitising.
        var version = Version(AwkwardTitle, AwkwardSummary + " &lt;i&gt; &amp;lt;b&amp;gt; &#60;em>");

        // Act
        var html = MessageFormatUnescape(KeycloakTermsTexts.Build(version, Options())[0].TermsText);
        var decoded = html;
        for (var i = 0; i < 5; i++)
        {
            decoded = WebUtility.HtmlDecode(decoded);
        }

        // Assert: the same tags as before decoding (ours), none from the title or summary.
        var before = Tag.Matches(html).Select(match => match.Groups[2].Value).ToList();
        var after = Tag.Matches(decoded).Select(match => match.Groups[2].Value).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(after, Is.EqualTo(before));
            Assert.That(before, Is.EqualTo(new[] { "p", "strong", "strong", "p", "p", "strong", "strong", "p", "p", "a", "a", "p" }));
            Assert.That(decoded, Does.Contain("<" + WordJoiner + "b>ñandú<" + WordJoiner + "/b>"));
            Assert.That(decoded, Does.Contain("<" + WordJoiner + "script>alert('x')"));
        });
    }

    [Test]
    public void Build_DemoLikeText_NoWordJoinerWhereNotNeeded()
    {
        // Act
        var es = KeycloakTermsTexts.Build(Version("Política de privacidad", "Se agrega GitHub & más; 3 < 4."), Options())[0];

        // Assert
        Assert.That(MessageFormatUnescape(es.TermsText), Does.Contain(Html("Se agrega GitHub & más; 3 < 4.")));
    }
}
