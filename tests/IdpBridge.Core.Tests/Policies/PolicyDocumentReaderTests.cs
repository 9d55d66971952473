using System.Text;
using IdpBridge.Core.Policies;
using IdpBridge.Testing;
using NUnit.Framework;

namespace IdpBridge.Core.Tests.Policies;

[TestFixture]
public sealed class PolicyDocumentReaderTests
{
    private string folder = "";

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("idpbridge-policy-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    private static string Seed(string prefix) =>
        Directory.GetFiles(Path.Combine(SharedData.Root, "seeds"), prefix + "_*.txt").Single();

    [Test]
    public void Read_HugoSeed_TakesTitleAndFieldsFromFrontMatter()
    {
        // Arrange
        var path = Seed("000");

        // Act
        var document = PolicyDocumentReader.Read(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(document.HasFrontMatter, Is.True);
            Assert.That(document.Title, Is.EqualTo("Política de privacidad"));
            Assert.That(document.Description, Is.EqualTo("Politicas de privacidad aplicada para los servicios"));
            Assert.That(document.Draft, Is.False);
            Assert.That(document.OtherFields["page_header_bg"], Is.EqualTo("images/banner/banner1.jpg.webp"));
            Assert.That(document.Locale, Is.Null);
            Assert.That(document.Kind, Is.Null);
            Assert.That(document.Markdown, Does.StartWith("\n### Introducción\n"));
            Assert.That(document.Markdown, Does.EndWith("para hacerlo.\n"));
            Assert.That(document.Markdown, Does.Not.Contain("draft:"));
        });
    }

    [Test]
    public void Read_SeedWithoutFrontMatter_UsesFirstLineAsTitleAndKeepsStrayDashes()
    {
        // Arrange
        var path = Seed("002");
        var raw = File.ReadAllText(path);

        // Act
        var document = PolicyDocumentReader.Read(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(document.HasFrontMatter, Is.False);
            Assert.That(document.Title, Is.EqualTo("Política de Privacidad"));
            Assert.That(document.Markdown.Split('\n').Count(line => line == "-"), Is.EqualTo(raw.Split('\n').Count(line => line == "-")));
            Assert.That(document.Markdown, Is.EqualTo(raw + "\n"), "the file lacks a final newline and is otherwise kept byte for byte");
            Assert.That(document.OtherFields, Is.Empty);
        });
    }

    [TestCase("000")]
    [TestCase("002")]
    public void Parse_CrlfBomAndMissingFinalNewline_SameHashAsOriginal(string seed)
    {
        // Arrange
        var original = File.ReadAllText(Seed(seed));
        var crlf = original.Replace("\n", "\r\n", StringComparison.Ordinal);
        var bom = "\uFEFF" + crlf;
        var trimmed = original.TrimEnd('\n');

        // Act
        var hashes = new[] { original, crlf, bom, trimmed, original + "\n\n" }
            .Select(text => PolicyDocumentReader.Parse(text, "seed").Sha256)
            .ToList();

        // Assert
        Assert.That(hashes.Distinct().Count(), Is.EqualTo(1), string.Join(", ", hashes));
    }

    [Test]
    public void Read_Utf8BomOnDisk_DroppedBeforeHashing()
    {
        // Arrange
        var path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.md");
        File.WriteAllText(path, "---\ntitle: T\n---\nTexto\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        try
        {
            // Act
            var document = PolicyDocumentReader.Read(path);

            // Assert
            Assert.Multiple(() =>
            {
                Assert.That(document.HasFrontMatter, Is.True);
                Assert.That(document.Sha256, Is.EqualTo(PolicyDocumentReader.Parse("---\ntitle: T\n---\nTexto\n", "x").Sha256));
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Parse_KnownSha256_IsLowerHexOfUtf8Body()
    {
        // Arrange
        const string text = "---\ntitle: T\n---\nabc";

        // Act
        var document = PolicyDocumentReader.Parse(text, "x.md");

        // Assert: sha256("abc\n")
        Assert.That(document.Sha256, Is.EqualTo("edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb"));
    }

    [Test]
    public void Parse_IdpBridgeFields_Read()
    {
        // Arrange
        const string text = """
            ---
            title: "Privacy"
            locale: en
            kind: minor
            effective: 2026-12-01T00:00:00-03:00
            summary: >
              Wording only.
            tags: [a, b]
            draft: true
            ---
            # Heading
            Body
            """;

        // Act
        var document = PolicyDocumentReader.Parse(text, "en.md");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(document.Title, Is.EqualTo("Privacy"));
            Assert.That(document.Locale, Is.EqualTo("en"));
            Assert.That(document.Kind, Is.EqualTo(PolicyVersionKind.Minor));
            Assert.That(document.Effective, Is.EqualTo(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero)));
            Assert.That(document.Summary, Is.EqualTo("Wording only."));
            Assert.That(document.Draft, Is.True);
            Assert.That(document.OtherFields, Does.ContainKey("tags"));
            Assert.That(document.Markdown, Is.EqualTo("# Heading\nBody\n"));
        });
    }

    [Test]
    public void Parse_NoTitleInFrontMatter_UsesFirstHashHeading()
    {
        // Arrange
        const string text = "---\nlocale: es\n---\nIntro line\n\n# Política\n\nTexto\n";

        // Act
        var document = PolicyDocumentReader.Parse(text, "es.md");

        // Assert
        Assert.That(document.Title, Is.EqualTo("Política"));
    }

    [Test]
    public void Parse_BadYaml_ErrorNamesFileAndLine()
    {
        // Arrange
        const string text = "---\ntitle: \"ok\"\nsummary: \"unterminated\nkind: material\n---\nBody\n";

        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => PolicyDocumentReader.Parse(text, "v2/es.md"));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(exception!.SourceName, Is.EqualTo("v2/es.md"));
            Assert.That(exception.Line, Is.InRange(3, 5));
            Assert.That(exception.Message, Does.StartWith($"v2/es.md:{exception.Line}: the front matter is not valid YAML: "));
        });
    }

    [Test]
    public void Parse_UnclosedFrontMatter_Refused()
    {
        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => PolicyDocumentReader.Parse("---\ntitle: x\nBody\n", "a.md"));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo("a.md:1: the front matter opened here is never closed: end it with a line '---'"));
    }

    [TestCase("material", PolicyVersionKind.Material)]
    [TestCase("minor", PolicyVersionKind.Minor)]
    [TestCase("notice", PolicyVersionKind.Notice)]
    [TestCase("Notice", PolicyVersionKind.Notice)]
    public void Parse_Kind_ReadAsItsKind(string written, PolicyVersionKind expected)
    {
        // Act
        var document = PolicyDocumentReader.Parse($"---\ntitle: x\nkind: {written}\n---\nBody\n", "a.md");

        // Assert
        Assert.That(document.Kind, Is.EqualTo(expected));
    }

    [Test]
    public void Parse_UnknownKind_RefusedWithLine()
    {
        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => PolicyDocumentReader.Parse("---\ntitle: x\nkind: major\n---\nBody\n", "a.md"));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo(
            "a.md:3: 'kind' must be material (everyone accepts again), minor (nobody is asked) or notice (everyone is told once, with a single continue), " +
            "not 'major'"));
    }

    [TestCase("2026-12-01", "has no time zone")]
    [TestCase("2026-12-01T00:00:00", "has no time zone")]
    [TestCase("next monday", "is not an ISO-8601 time")]
    public void Parse_EffectiveWithoutOffset_RefusedAskingForZOrOffset(string effective, string problem)
    {
        // Act
        var exception = Assert.Throws<PolicyDocumentException>(
            () => PolicyDocumentReader.Parse($"---\neffective: {effective}\n---\nBody\n", "a.md"));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo(
            $"a.md:2: effective '{effective}' {problem}: write {(problem == "has no time zone" ? "it with Z or an offset, " : "")}" +
            "e.g. 2026-12-01T00:00:00Z or 2026-12-01T00:00:00-03:00"));
    }

    [Test]
    public void Parse_TitleAsList_Refused()
    {
        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => PolicyDocumentReader.Parse("---\ntitle: [a, b]\n---\nBody\n", "a.md"));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo("a.md:2: 'title' must be a single value, not a list or a map"));
    }

    [Test]
    public void Parse_EmptyDocument_Refused()
    {
        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => PolicyDocumentReader.Parse("\n\n", "a.md"));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo("a.md: the document is empty: it has no title and no text"));
    }

    [Test]
    public void Read_FileOverOneMebibyte_RefusedBeforeItIsRead()
    {
        // Arrange
        var path = Path.Combine(folder, "big.md");
        File.WriteAllText(path, "# Big\n" + new string('a', PolicyDocumentReader.MaxFileBytes));

        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => PolicyDocumentReader.Read(path));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo($"{path}: the file is 1,048,582 bytes; a policy file may have at most 1,048,576 (1 MiB)"));
    }

    [Test]
    public void Read_BinaryFile_RefusedWithTheLineOfTheFirstControlCharacter()
    {
        // Arrange
        var path = Path.Combine(folder, "logo.md");
        File.WriteAllBytes(path, [.. "# Logo\n\tfine\r\n"u8, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00]);

        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => PolicyDocumentReader.Read(path));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo($"{path}: the file is not UTF-8 text: save it as UTF-8 (a policy is Markdown)"));
    }

    [Test]
    public void Read_Utf8WithControlCharacter_RefusedWithItsLine()
    {
        // Arrange
        var path = Path.Combine(folder, "a.md");
        File.WriteAllText(path, "\uFEFF# Título\n\tsangría\r\nbell \u0007 here\n", new UTF8Encoding(true));

        // Act
        var exception = Assert.Throws<PolicyDocumentException>(() => PolicyDocumentReader.Read(path));

        // Assert
        Assert.That(exception!.Message, Is.EqualTo($"{path}:3: the file holds the control character U+0007: it is not a text file"));
    }

    [Test]
    public void Read_Utf8WithBomTabsAndCrLf_Read()
    {
        // Arrange
        var path = Path.Combine(folder, "a.md");
        File.WriteAllText(path, "# Título\r\n\tsangría\r\n", new UTF8Encoding(true));

        // Act
        var document = PolicyDocumentReader.Read(path);

        // Assert
        Assert.That((document.Title, document.Markdown), Is.EqualTo(("Título", "# Título\n\tsangría\n")));
    }

    [Test]
    public void Parse_DuplicateKeyInFrontMatter_RefusedWithItsLine()
    {
        // Act
        var exception = Assert.Throws<PolicyDocumentException>(
            () => PolicyDocumentReader.Parse("---\ntitle: a\ntitle: b\n---\nBody\n", "a.md"));

        // Assert
        Assert.That(exception!.Message, Does.StartWith("a.md:3: the front matter is not valid YAML: "));
    }

    [TestCase("title: a: b")]
    [TestCase("- a\n- b")]
    [TestCase("? [a]\n: b")]
    [TestCase("[a, b]: c")]
    [TestCase("title: *undefined")]
    [TestCase("&a title: x\n*a : y")]
    [TestCase("title: !!binary AAAA")]
    [TestCase("kind: {a: 1}")]
    [TestCase("effective: [1]")]
    [TestCase("draft: maybe")]
    [TestCase("{")]
    [TestCase("title: \"unterminated")]
    [TestCase("\ttitle: tab")]
    [TestCase("title: x\n  - y")]
    [TestCase("%YAML 9.9\n---\ntitle: x")]
    public void Parse_OddFrontMatter_ReadOrRefusedWithAMessageNeverAnotherException(string yaml)
    {
        // Act
        var failure = ParseFailure($"---\n{yaml}\n---\nBody\n");

        // Assert
        Assert.That(failure, Is.Null.Or.TypeOf<PolicyDocumentException>().With.Message.StartsWith("a.md:"));
    }

    private static Exception? ParseFailure(string text)
    {
        try
        {
            PolicyDocumentReader.Parse(text, "a.md");
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }
}
