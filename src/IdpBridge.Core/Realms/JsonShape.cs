namespace IdpBridge.Core.Realms;

/// <summary>The JSON shape a value of a realm config must have.</summary>
internal enum JsonShape
{
    String,
    Boolean,
    Integer,
    StringArray,
}
