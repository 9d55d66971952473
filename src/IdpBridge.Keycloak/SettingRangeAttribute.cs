using System.ComponentModel.DataAnnotations;

namespace IdpBridge.Keycloak;

/// <summary>
/// <see cref="RangeAttribute"/> that keeps its <see cref="ValidationAttribute.ErrorMessage"/> under the options
/// validation source generator, which replaces a plain <c>[Range]</c> by its own copy and drops the message
/// (dotnet/runtime#123137), so the message could no longer name the setting. A subclass is used as it is.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class SettingRangeAttribute : RangeAttribute
{
    public SettingRangeAttribute(int minimum, int maximum)
        : base(minimum, maximum)
    {
    }

    public SettingRangeAttribute(double minimum, double maximum)
        : base(minimum, maximum)
    {
    }

    public SettingRangeAttribute(Type type, string minimum, string maximum)
        : base(type, minimum, maximum)
    {
        // Durations are written as configuration writes them, whatever the machine's culture.
        ParseLimitsInInvariantCulture = true;
        ConvertValueInInvariantCulture = true;
    }
}
