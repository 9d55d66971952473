using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace IdpBridge.Core.Realms;

/// <summary>What a change does to one resource.</summary>
public enum ChangeKind
{
    /// <summary>The resource does not exist and will be created (<c>+</c>).</summary>
    Create,

    /// <summary>The resource exists and some declared fields differ (<c>~</c>).</summary>
    Update,

    /// <summary>The resource exists, is not declared, and its collection is exclusive to the file (<c>-</c>).</summary>
    Delete,
}

/// <summary>
/// One field that differs. <see cref="Before"/> and <see cref="After"/> are null for secrets (shown as
/// <c>(sensitive)</c>) and where the field is absent on that side.
/// </summary>
public sealed record FieldChange(string Path, JsonNode? Before, JsonNode? After, bool Sensitive = false);

/// <summary>One resource that the apply will create, change or delete, with the fields that differ.</summary>
public sealed record ResourceChange(string ResourceType, string Name, ChangeKind Kind, IReadOnlyList<FieldChange> Fields)
{
    /// <summary>What the change does beyond its fields, when that needs saying (e.g. a required action registered first).</summary>
    public string? Note { get; init; }

    /// <summary>Carries the change out; the planner fills it from the state it read.</summary>
    [JsonIgnore]
    internal Func<CancellationToken, Task> Apply { get; init; } = _ => Task.CompletedTask;

    /// <summary>A readable name such as <c>identity-provider google</c>.</summary>
    public override string ToString() => $"{ResourceType} {Name}";
}

/// <summary>
/// The ordered list of changes between a realm config and the live realm (apply order: the realm before its
/// settings, clients before their service-account roles, identity providers before their mappers, deletions last).
/// </summary>
public sealed record RealmPlan(
    string RealmName,
    bool RealmExists,
    IReadOnlyList<ResourceChange> Changes,
    IReadOnlyList<string>? UsersAreAskedFor,
    IReadOnlyList<string> IgnoredSections)
{
    /// <summary>What the plan warns about beyond its changes (e.g. secret hashes checkable offline), each once.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>True when the live realm already matches the file.</summary>
    public bool IsEmpty => Changes.Count == 0;

    /// <summary>How many resources will be created, changed and deleted.</summary>
    public (int Create, int Update, int Delete) Counts =>
        (Changes.Count(change => change.Kind == ChangeKind.Create),
         Changes.Count(change => change.Kind == ChangeKind.Update),
         Changes.Count(change => change.Kind == ChangeKind.Delete));
}
