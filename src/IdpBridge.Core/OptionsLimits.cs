namespace IdpBridge.Core;

/// <summary>Bounds the options' data annotations share.</summary>
internal static class OptionsLimits
{
    /// <summary>The longest duration there is, as a <c>Range</c> attribute writes it: "no upper bound".</summary>
    public const string NoLimit = "10675199.02:48:05.4775807";
}
