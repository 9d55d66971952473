namespace IdpBridge.Core.Realms;

/// <summary>A realm config that loaded, with what the user should be told about it.</summary>
/// <param name="Config">The desired state of the realm.</param>
/// <param name="Warnings">
/// Things that load but probably do not do what the author meant (e.g. <c>supportedLocales</c> while
/// <c>internationalizationEnabled</c> is false). The ignored sections are not repeated here: they are in
/// <see cref="RealmConfig.IgnoredSections"/>, for one warning that lists them all.
/// </param>
public sealed record RealmConfigLoadResult(RealmConfig Config, IReadOnlyList<RealmConfigDiagnostic> Warnings);
