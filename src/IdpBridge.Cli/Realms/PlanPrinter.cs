using System.Text.Json;
using System.Text.Json.Nodes;
using IdpBridge.Core.Realms;

namespace IdpBridge.Cli.Realms;

/// <summary>Writes plans and apply results for people (grouped, field by field) and for CI (<c>--output json</c>).</summary>
internal static class PlanPrinter
{

    public static string Symbol(ChangeKind kind) => kind switch
    {
        ChangeKind.Create => "+",
        ChangeKind.Update => "~",
        _ => "-",
    };

    public static void Write(TextWriter output, RealmPlan plan, bool json)
    {
        if (json)
        {
            output.WriteLine(ToJson(plan).ToJsonString(CliJson.Output));
            return;
        }

        if (!plan.RealmExists)
        {
            output.WriteLine($"Realm '{plan.RealmName}' does not exist: it will be created, then the rest is applied to it.");
        }

        foreach (var group in plan.Changes.GroupBy(change => change.ResourceType))
        {
            output.WriteLine();
            output.WriteLine($"{group.Key}:");
            foreach (var change in group)
            {
                output.WriteLine(change.Note is null ? $"  {Symbol(change.Kind)} {change.Name}" : $"  {Symbol(change.Kind)} {change.Name} ({change.Note})");
                foreach (var field in change.Fields)
                {
                    output.WriteLine($"      {field.Path}: {Describe(field)}");
                }
            }
        }

        var (create, update, delete) = plan.Counts;
        output.WriteLine();
        output.WriteLine(plan.IsEmpty
            ? $"No changes. Realm '{plan.RealmName}' matches the file."
            : $"Plan: {create} to create, {update} to change, {delete} to delete.");
        output.WriteLine(UsersAskedFor(plan));
    }

    /// <summary>"Users are asked for: email, first name, last name." from the attributes the plan lists.</summary>
    private static string UsersAskedFor(RealmPlan plan) => plan.UsersAreAskedFor switch
    {
        null => "Users are asked for: (no user profile declared or readable).",
        [] => "Users are asked for: nothing.",
        var names => $"Users are asked for: {string.Join(", ", names.Select(name => name switch
        {
            "firstName" => "first name",
            "lastName" => "last name",
            _ => name,
        }))}.",
    };

    /// <summary>The plan's warnings, one <c>warning:</c> line each, on the error stream (so JSON output stays clean).</summary>
    public static async Task WarnAsync(TextWriter error, RealmPlan plan)
    {
        foreach (var warning in plan.Warnings)
        {
            await error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }
    }

    public static void WriteResult(TextWriter output, TextWriter error, RealmPlan plan, ApplyResult result, bool json)
    {
        if (json)
        {
            var node = ToJson(plan);
            node["applied"] = new JsonArray(result.Done.Select(change => (JsonNode?)JsonValue.Create(change.ToString())).ToArray());
            node["notApplied"] = new JsonArray(result.NotDone.Select(change => (JsonNode?)JsonValue.Create(change.ToString())).ToArray());
            node["error"] = result.Failure?.Message;
            output.WriteLine(node.ToJsonString(CliJson.Output));
        }

        if (result.Succeeded)
        {
            if (!json)
            {
                output.WriteLine($"Apply complete: {result.Done.Count} change(s) made to realm '{plan.RealmName}'.");
            }

            return;
        }

        error.WriteLine($"error: apply stopped at {result.NotDone[0]}: {result.Failure!.Message}");
        error.WriteLine($"Done ({result.Done.Count}): {string.Join(", ", result.Done)}");
        error.WriteLine($"Not done ({result.NotDone.Count}): {string.Join(", ", result.NotDone)}");
        error.WriteLine("Fix the cause and run apply again: it plans afresh and makes only what is still missing.");
    }

    private static string Describe(FieldChange field)
    {
        if (field.Sensitive)
        {
            return "(sensitive)";
        }

        return (field.Before, field.After) switch
        {
            (null, null) => "(changed)",
            (null, var after) => $"+ {after!.ToJsonString()}",
            (var before, null) => $"- {before!.ToJsonString()}",
            var (before, after) => $"{before!.ToJsonString()} → {after!.ToJsonString()}",
        };
    }

    private static JsonObject ToJson(RealmPlan plan)
    {
        var (create, update, delete) = plan.Counts;
        var node = new JsonObject
        {
            ["realm"] = plan.RealmName,
            ["realmExists"] = plan.RealmExists,
            ["changes"] = new JsonArray(plan.Changes.Select(change => (JsonNode?)ChangeJson(change)).ToArray()),
            ["summary"] = new JsonObject { ["create"] = create, ["update"] = update, ["delete"] = delete },
            ["usersAreAskedFor"] = UsersAskedFor(plan),
            ["ignoredSections"] = new JsonArray(plan.IgnoredSections.Select(section => (JsonNode?)JsonValue.Create(section)).ToArray()),
        };
        if (plan.Warnings.Count > 0)
        {
            // Only where there are some, as notes: a plan without keeps the shape CI scripts already read.
            node["warnings"] = new JsonArray(plan.Warnings.Select(warning => (JsonNode?)JsonValue.Create(warning)).ToArray());
        }

        return node;
    }

    private static JsonObject ChangeJson(ResourceChange change)
    {
        var node = new JsonObject
        {
            ["resourceType"] = change.ResourceType,
            ["name"] = change.Name,
            ["action"] = change.Kind.ToString().ToLowerInvariant(),
            ["fields"] = new JsonArray(change.Fields.Select(field => (JsonNode?)new JsonObject
            {
                ["path"] = field.Path,
                ["before"] = field.Sensitive ? "(sensitive)" : field.Before?.DeepClone(),
                ["after"] = field.Sensitive ? "(sensitive)" : field.After?.DeepClone(),
                ["sensitive"] = field.Sensitive,
            }).ToArray()),
        };
        if (change.Note is { } note)
        {
            // Only where there is one: a plan without notes keeps the shape CI scripts already read.
            node["note"] = note;
        }

        return node;
    }
}
