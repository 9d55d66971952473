using IdpBridge.Core.Policies;
using IdpBridge.Testing;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Policies;

[TestFixture]
public sealed class PolicyVersionBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    private static PolicyVersionBuilder Builder() => new(new FakeTimeProvider(Now));

    private static PolicyVersionOptions Options(PolicyVersionKind? kind = PolicyVersionKind.Material) => new()
    {
        Realm = "externos",
        Policy = "privacy",
        DefaultLocale = "es",
        SupportedLocales = ["es", "en"],
        Kind = kind,
    };

    private static PolicyDocument Doc(string name, string frontMatter, string body = "Texto\n") =>
        PolicyDocumentReader.Parse($"---\ntitle: Política\n{frontMatter}\n---\n{body}", name);

    private static string DemoPolicy(string version, string locale) =>
        Path.Combine(SharedData.RepositoryRoot, "realm-config", "externos", "policies", "privacy", version, locale + ".md");

    [Test]
    public void Build_TwoLocales_DefaultFirstHashesAndTimes()
    {
        // Arrange
        var en = Doc("en.md", "locale: en\nsummary: First", "Text\n");
        var es = Doc("es.md", "locale: es\nsummary: Primera");

        // Act
        var result = Builder().Build([en, es], Options());

        // Assert
        var version = result.Version;
        Assert.Multiple(() =>
        {
            Assert.That(version.Texts.Select(text => text.Locale), Is.EqualTo(new[] { "es", "en" }));
            Assert.That(version.Number, Is.Zero);
            Assert.That(version.Kind, Is.EqualTo(PolicyVersionKind.Material));
            Assert.That(version.PublishedAt, Is.EqualTo(Now));
            Assert.That(version.EffectiveAt, Is.EqualTo(Now));
            Assert.That(version.Texts[0].Sha256, Is.EqualTo(es.Sha256));
            Assert.That(version.Texts[0].Summary, Is.EqualTo("Primera"));
            Assert.That(version.ContentHash, Is.EqualTo(PolicyVersionBuilder.ContentHash(version.Texts)));
            Assert.That(result.Notices, Is.Empty);
        });
    }

    [Test]
    public void ContentHash_SortedLocaleLines_IndependentOfOrder()
    {
        // Arrange
        var es = new PolicyText("es", "T", null, "a\n", "1111");
        var en = new PolicyText("en", "T", null, "b\n", "2222");

        // Act
        var forward = PolicyVersionBuilder.ContentHash([es, en]);
        var backward = PolicyVersionBuilder.ContentHash([en, es]);

        // Assert: sha256("en:2222\nes:1111\n")
        Assert.Multiple(() =>
        {
            Assert.That(forward, Is.EqualTo(backward));
            Assert.That(forward, Is.EqualTo(Convert.ToHexStringLower(
                System.Security.Cryptography.SHA256.HashData("en:2222\nes:1111\n"u8.ToArray()))));
        });
    }

    [Test]
    public void Build_SameTextsTwice_SameContentHash()
    {
        // Arrange
        var first = Builder().Build([Doc("es.md", "locale: es\nsummary: s")], Options()).Version;

        // Act
        var second = new PolicyVersionBuilder(new FakeTimeProvider(Now.AddDays(3)))
            .Build([Doc("es.md", "locale: es\nsummary: s")], Options()).Version;

        // Assert
        Assert.That(second.ContentHash, Is.EqualTo(first.ContentHash));
    }

    [Test]
    public void Build_Draft_RefusedWithHowToPublish()
    {
        // Arrange
        var draft = Doc("v2/es.md", "locale: es\nsummary: s\ndraft: true");

        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => Builder().Build([draft], Options()));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo("v2/es.md is a draft (draft: true in its front matter); remove it or set draft: false to publish"));
    }

    [Test]
    public void Build_TwoFilesForOneLocale_Refused()
    {
        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => Builder().Build(
            [Doc("a.md", "locale: es\nsummary: s"), Doc("b.md", "locale: ES\nsummary: s")], Options()));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo("b.md: a second file for locale 'es' (the first is a.md): give one file per locale"));
    }

    [Test]
    public void Build_UnsupportedLocale_Refused()
    {
        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => Builder().Build(
            [Doc("es.md", "locale: es\nsummary: s"), Doc("pt.md", "locale: pt-BR")], Options()));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo(
            "pt.md: locale 'pt-BR' is not among the realm's supported locales (es, en): add it to the realm or remove the file"));
    }

    [Test]
    public void Build_NoFileForDefaultLocale_Refused()
    {
        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => Builder().Build([Doc("en.md", "locale: en\nsummary: s")], Options()));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo(
            "no file for the default locale 'es': Keycloak shows the default locale's text to anyone whose language has none, so it is required"));
    }

    [Test]
    public void Build_NoKindAnywhere_AsksForKind()
    {
        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => Builder().Build([Doc("es.md", "locale: es")], Options(kind: null)));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo(
            "no kind given: pass --kind material (everyone accepts again), minor (nobody is asked) or notice (everyone is told once, with a single continue), " +
            "or add 'kind:' to the front matter"));
    }

    [Test]
    public void Build_KindFromFrontMatter_Used()
    {
        // Act
        var version = Builder().Build([Doc("es.md", "locale: es\nkind: minor")], Options(kind: null)).Version;

        // Assert
        Assert.That(version.Kind, Is.EqualTo(PolicyVersionKind.Minor));
    }

    [Test]
    public void Build_OptionAndFrontMatterDisagree_OptionWinsAndSaysSo()
    {
        // Arrange
        var es = Doc("es.md", "locale: es\nkind: material\nsummary: s\neffective: 2026-12-01T00:00:00Z");
        var options = Options(kind: PolicyVersionKind.Minor) with
        {
            Effective = new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.FromHours(-3)),
            Summary = "otro",
        };

        // Act
        var result = Builder().Build([es], options);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.Version.Kind, Is.EqualTo(PolicyVersionKind.Minor));
            Assert.That(result.Version.EffectiveAt, Is.EqualTo(new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero)));
            Assert.That(result.Version.EffectiveAt.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(result.Version.Texts[0].Summary, Is.EqualTo("otro"));
            Assert.That(result.Notices, Is.EqualTo(new[]
            {
                "kind: the option (minor) wins over the front matter of es.md (material)",
                "effective: the option (2026-12-05T00:00:00-03:00) wins over the front matter of es.md (2026-12-01T00:00:00Z)",
                "summary: the option wins over the summary in the front matter of es.md",
            }));
        });
    }

    [Test]
    public void Build_FilesDisagreeOnKind_RefusedUnlessOptionGiven()
    {
        // Arrange
        var es = Doc("es.md", "locale: es\nkind: material\nsummary: s");
        var en = Doc("en.md", "locale: en\nkind: minor");

        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => Builder().Build([es, en], Options(kind: null)));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo(
            "the files disagree on kind (es.md: material, en.md: minor): make them agree or pass --kind, which wins"));
    }

    [Test]
    public void Build_EffectiveInThePast_Refused()
    {
        // Arrange
        var options = Options() with { Effective = Now.AddHours(-1) };

        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => Builder().Build([Doc("es.md", "locale: es\nsummary: s")], options));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo(
            "effective 2026-11-20T14:00:00Z is in the past (now is 2026-11-20T15:00:00Z): a version cannot bind users before it was published; " +
            "give a later time or none to take effect now"));
    }

    [Test]
    public void Build_EffectiveAMinuteAgo_TakenAsPublicationTime()
    {
        // Arrange
        var options = Options() with { Effective = Now.AddMinutes(-1) };

        // Act
        var version = Builder().Build([Doc("es.md", "locale: es\nsummary: s")], options).Version;

        // Assert
        Assert.That(version.EffectiveAt, Is.EqualTo(version.PublishedAt));
    }

    [Test]
    public void Build_MaterialWithoutSummary_Refused()
    {
        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => Builder().Build([Doc("es.md", "locale: es")], Options()));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo(
            "es.md: a material version after the first needs a summary of what changed, which users are shown before they accept again: " +
            "add 'summary:' to the front matter or pass --summary"));
    }

    [Test]
    public void Build_NoticeFromFrontMatter_BuiltAsNotice()
    {
        // Act
        var version = Builder().Build([Doc("es.md", "locale: es\nkind: notice\nsummary: Nuevo canal de avisos")], Options(kind: null)).Version;

        // Assert
        Assert.That(version.Kind, Is.EqualTo(PolicyVersionKind.Notice));
        Assert.That(version.Texts.Single().Summary, Is.EqualTo("Nuevo canal de avisos"));
    }

    [Test]
    public void Build_NoticeWithoutSummary_Refused()
    {
        // Act: a notice is what users are told at their next login; without a summary there is nothing to tell.
        var exception = Assert.Throws<PolicyDocumentException>(
            () => Builder().Build([Doc("es.md", "locale: es")], Options(kind: PolicyVersionKind.Notice)));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo(
            "es.md: a notice after the first version needs a summary of what changed: it is what users are told at their next login; " +
            "add 'summary:' to the front matter or pass --summary"));
    }

    [Test]
    public void Build_FirstMaterialVersionWithoutSummary_Built()
    {
        // Act
        var version = Builder().Build([Doc("es.md", "locale: es")], Options() with { FirstVersion = true }).Version;

        // Assert
        Assert.That(version.Texts.Single().Summary, Is.Null);
    }

    [Test]
    public void Build_DefaultLocaleNotSupported_Refused()
    {
        // Act
        var exception = Assert.Throws<PolicyDocumentException>(
            () => Builder().Build([Doc("es.md", "locale: es\nsummary: s")], Options() with { DefaultLocale = "fr" }));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo("the default locale 'fr' is not among the supported locales (es, en)"));
    }

    [Test]
    public void Build_LocaleFromFileName_UsedAndNoticed()
    {
        // Arrange
        var es = PolicyDocumentReader.Parse("---\ntitle: P\nsummary: s\n---\nTexto\n", "policies/es.md");
        var en = PolicyDocumentReader.Parse("Privacy\n\nText\n", "policies/en.md");

        // Act
        var result = Builder().Build([en, es], Options());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.Version.Texts.Select(text => text.Locale), Is.EqualTo(new[] { "es", "en" }));
            Assert.That(result.Notices, Has.Some.EqualTo("policies/es.md: no 'locale:' in its front matter; taken as 'es' from the file name"));
        });
    }

    [TestCase("000")]
    [TestCase("002")]
    public void Build_SeedAsItIs_PublishableAsDefaultLocale(string seed)
    {
        // Arrange
        var document = PolicyDocumentReader.Read(Directory.GetFiles(Path.Combine(SharedData.Root, "seeds"), seed + "_*.txt").Single());

        // Act
        var result = Builder().Build([document], Options() with { Summary = "Primera versión" });

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.Version.Texts.Single().Locale, Is.EqualTo("es"));
            Assert.That(result.Version.Texts.Single().Markdown, Is.EqualTo(document.Markdown));
            Assert.That(result.Notices, Has.Some.Contains("taken as the default locale 'es'"));
        });
    }

    [Test]
    public void DemoPolicy_V1ToV2_BothMaterialWithSummariesAndDifferentText()
    {
        // Arrange
        var builder = Builder();
        var options = Options(kind: null);

        // Act
        var v1 = builder.Build([PolicyDocumentReader.Read(DemoPolicy("v1", "es")), PolicyDocumentReader.Read(DemoPolicy("v1", "en"))], options);
        var v2 = builder.Build([PolicyDocumentReader.Read(DemoPolicy("v2", "en")), PolicyDocumentReader.Read(DemoPolicy("v2", "es"))], options);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(v1.Notices, Is.Empty);
            Assert.That(v2.Notices, Is.Empty);
            Assert.That(v1.Version.Kind, Is.EqualTo(PolicyVersionKind.Material));
            Assert.That(v2.Version.Kind, Is.EqualTo(PolicyVersionKind.Material));
            Assert.That(v2.Version.ContentHash, Is.Not.EqualTo(v1.Version.ContentHash));
            Assert.That(v2.Version.Texts.Select(text => text.Locale), Is.EqualTo(new[] { "es", "en" }));
            Assert.That(v2.Version.Texts.Select(text => text.Summary), Has.All.Contains("GitLab"));
            Assert.That(v2.Version.Texts[0].Markdown, Does.Contain("### Qué datos reciben las aplicaciones").And.Contain("domicilio, el teléfono"));
            Assert.That(v2.Version.Texts[1].Markdown, Does.Contain("### What the applications receive").And.Contain("No address, phone number"));
            Assert.That(v1.Version.Texts.Concat(v2.Version.Texts).Select(text => text.Markdown), Has.None.Contains("GitHub"),
                "the demo realm offers Google and GitLab only; its policy says so");
            Assert.That(v1.Version.Texts.Select(text => text.Title), Is.EqualTo(new[] { "Política de privacidad", "Privacy policy" }));
        });
    }
}
