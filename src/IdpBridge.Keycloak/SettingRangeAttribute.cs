using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace IdpBridge.Keycloak;

/// <summary>
/// <see cref="RangeAttribute"/> that keeps its <see cref="ValidationAttribute.ErrorMessage"/> under the options
/// validation source generator, which replaces a plain <c>[Range]</c> by its own copy and drops the message
/// (dotnet/runtime#123137), so the message could no longer name the setting. A subclass is used as it is.
/// Public so that IdpBridge.Core's options use the same one.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingRangeAttribute : RangeAttribute
{
    /// <summary>Whole numbers from <paramref name="minimum"/> to <paramref name="maximum"/>, both included.</summary>
    public SettingRangeAttribute(int minimum, int maximum)
        : base(minimum, maximum)
    {
    }

    /// <summary>Numbers from <paramref name="minimum"/> to <paramref name="maximum"/>, both included.</summary>
    public SettingRangeAttribute(double minimum, double maximum)
        : base(minimum, maximum)
    {
    }

    /// <summary>Values of <paramref name="type"/> (a <see cref="TimeSpan"/>: <c>00:00:03</c>) between the two, both included.</summary>
    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2026",
        Justification = "The operand types used (TimeSpan) have built-in, non-generic type converters, which trimming keeps.")]
    public SettingRangeAttribute([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] Type type, string minimum, string maximum)
        : base(type, minimum, maximum)
    {
        // Durations are written as configuration writes them, whatever the machine's culture.
        ParseLimitsInInvariantCulture = true;
        ConvertValueInInvariantCulture = true;
    }
}
