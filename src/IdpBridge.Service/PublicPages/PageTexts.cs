using System.Globalization;

namespace IdpBridge.Service.PublicPages;

/// <summary>The few words of the public pages' frame, per language (the policy text itself is the document's).</summary>
internal sealed record PageTexts(
    string Version,
    string EffectiveFrom,
    string PublishedOn,
    string AllVersions,
    string WhatChanged,
    string ChangesSincePrevious,
    string FirstVersion,
    string Material,
    string Minor,
    string Notice,
    string Fingerprint,
    string Permalink,
    string Current,
    string Versions,
    string NotFound,
    string Language)
{
    private static readonly PageTexts Spanish = new(
        "Versión", "Vigente desde el", "Publicada el", "Todas las versiones", "Qué cambió", "Cambios respecto de la versión anterior",
        "Esta es la primera versión.", "cambio sustancial", "cambio menor", "aviso de cambio", "Huella SHA-256 del texto", "Enlace permanente",
        "vigente", "Versiones", "No encontramos esa página.", "Idioma");

    private static readonly PageTexts English = new(
        "Version", "Effective from", "Published on", "All versions", "What changed", "Changes since the previous version",
        "This is the first version.", "material change", "minor change", "notice of change", "SHA-256 fingerprint of the text", "Permanent link",
        "current", "Versions", "We could not find that page.", "Language");

    public static PageTexts For(string locale) =>
        locale.StartsWith("es", StringComparison.OrdinalIgnoreCase) ? Spanish : English;

    /// <summary>A date as people of that language write it, in UTC (e.g. "1 de diciembre de 2026").</summary>
    public static string Date(DateTimeOffset instant, string locale)
    {
        CultureInfo culture;
        try
        {
            culture = CultureInfo.GetCultureInfo(locale);
        }
        catch (CultureNotFoundException)
        {
            culture = CultureInfo.InvariantCulture;
        }

        return instant.UtcDateTime.ToString("D", culture);
    }
}
