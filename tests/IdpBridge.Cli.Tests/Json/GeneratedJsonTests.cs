using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using IdpBridge.Core;
using NUnit.Framework;

namespace IdpBridge.Cli.Tests.Json;

/// <summary>
/// The serializers generated for the native CLI: every enum that a command's JSON or IdpBridge.Core's own JSON can
/// reach is written as its snake_case word (a converter missing from <see cref="IdpBridgeJson"/> would write a number,
/// silently, in every output that holds it), and a type the generated contexts lack is refused, not serialized by
/// reflection (which the native binary cannot do).
/// </summary>
public sealed class GeneratedJsonTests
{
    private static IEnumerable<TestCaseData> Contexts()
    {
        yield return new TestCaseData(CliJson.Output, typeof(CliJsonContext)).SetArgDisplayNames("CLI --output json");
        yield return new TestCaseData(IdpBridgeJson.Options, typeof(IdpBridgeJsonContext)).SetArgDisplayNames("IdpBridge.Core");
    }

    [TestCaseSource(nameof(Contexts))]
    public void EveryReachableEnumIsWrittenAsASnakeCaseWord(JsonSerializerOptions options, Type context)
    {
        var enums = ReachableEnums(options, context);

        Assert.That(enums, Is.Not.Empty, "the walk found no enum: it does not follow the contexts' types");
        Assert.Multiple(() =>
        {
            foreach (var type in enums)
            {
                foreach (var value in Enum.GetValues(type).Cast<object>())
                {
                    var json = JsonSerializer.Serialize(value, options.GetTypeInfo(type));
                    Assert.That(json, Does.Match("^\"[a-z0-9_]+\"$"), $"{type.Name}.{value}");
                }
            }
        });
    }

    [Test]
    public void WalkReachesTheEnumsOfARolloutReport()
    {
        var enums = ReachableEnums(CliJson.Output, typeof(CliJsonContext));

        Assert.That(enums, Is.SupersetOf(new[] { typeof(Core.Rollouts.UserOutcome), typeof(Core.Rollouts.InFlightMode), typeof(Keycloak.Http.ThrottleReason) }));
    }

    [Test]
    public void ATypeOutsideTheContextsIsRefusedNotReflected()
    {
        Assert.Throws<NotSupportedException>(() => CliJson.Serialize(new Uncharted("x")));
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(new Uncharted("x"), IdpBridgeJson.Options));
    }

    [Test]
    public void AuditFactsOfEveryShapeTheChecksUse_AreWritten()
    {
        var finding = Core.Audit.AuditFinding.Of("code", Core.Audit.AuditSeverity.Finding, "check", "where",
            ("name", "nationalId"), ("users", 3), ("seconds", 86_400L), ("builtIn", true),
            ("sorted", new SortedSet<string>(StringComparer.Ordinal) { "b", "a" }), ("spread", (IReadOnlyList<string>)[.. new[] { "x" }]),
            ("counts", new SortedDictionary<string, int>(StringComparer.Ordinal) { ["idpbridge_v2"] = 4, ["idpbridge_v1"] = 1 }));
        var result = new IdpBridge.Cli.Realms.AuditResultJson(finding.Code, finding.Severity, finding.Check, finding.Where, "what", "fix", finding.Facts);

        var json = CliJson.Serialize(result);

        Assert.That(json, Does.Contain("\"facts\": {").And.Contain("\"name\": \"nationalId\"").And.Contain("\"users\": 3")
            .And.Contain("\"seconds\": 86400").And.Contain("\"builtIn\": true")
            .And.Contain("\"sorted\": [\n      \"a\",\n      \"b\"\n    ]").And.Contain("\"spread\": [\n      \"x\"\n    ]")
            .And.Contain("\"counts\": {\n      \"idpbridge_v1\": 1,\n      \"idpbridge_v2\": 4\n    }"));
    }

    [Test]
    public void TimesAreWrittenInUtcAsBefore()
    {
        var at = new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.FromHours(2));

        Assert.That(JsonSerializer.Serialize(at, CliJson.Output), Is.EqualTo("\"2026-05-01T08:00:00.0000000Z\""));
    }

    /// <summary>Every enum type met walking the context's roots through properties, elements and keys.</summary>
    private static List<Type> ReachableEnums(JsonSerializerOptions options, Type context)
    {
        // [JsonSerializable(typeof(T))] keeps T only as its constructor's argument.
        var roots = context.GetCustomAttributesData()
            .Where(attribute => attribute.AttributeType == typeof(JsonSerializableAttribute))
            .Select(attribute => (Type)attribute.ConstructorArguments[0].Value!);
        var seen = new HashSet<Type>();
        var enums = new List<Type>();
        var pending = new Stack<Type>(roots);
        while (pending.TryPop(out var type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!seen.Add(type))
            {
                continue;
            }

            if (type.IsEnum)
            {
                enums.Add(type);
                continue;
            }

            if (type == typeof(object))
            {
                continue;
            }

            var info = options.GetTypeInfo(type);
            foreach (var property in info.Properties)
            {
                pending.Push(property.PropertyType);
            }

            if (info.ElementType is { } element)
            {
                pending.Push(element);
            }

            if (info.KeyType is { } key)
            {
                pending.Push(key);
            }
        }

        return enums;
    }

    private sealed record Uncharted(string Name);
}
