package io.idpbridge.keycloak.terms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.idpbridge.keycloak.terms.TermsPolicy.Step;
import io.idpbridge.keycloak.terms.VersionedTermsAction.Shown;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the page showed, kept in the authentication session until the answer: version, step and now the language. */
class ShownPageTest {

    private static final String HASH = "b".repeat(64);

    private static TermsPolicy policy() {
        Map<String, String> realm = Map.of(
            "idpbridge.terms.version", "2",
            "idpbridge.terms.kind", "material",
            "idpbridge.terms.sha256", HASH,
            "idpbridge.terms.effective", "2026-07-01T00:00:00Z",
            "idpbridge.terms.materialVersion", "2");
        TermsPolicy policy = TermsPolicy.read(realm::get).policy();
        assertNotNull(policy);
        return policy;
    }

    @Test
    void encodeThenDecode_pageRenderedInSpanish_keepsTheLocaleWithTheVersion() {
        Shown shown = Shown.of(policy(), Step.ACCEPT, Locale.forLanguageTag("es"));

        String note = shown.encode();
        Shown read = Shown.decode(note);

        assertEquals("ACCEPT 2 " + HASH + " material privacy es", note);
        assertNotNull(read);
        assertEquals("es", read.locale);
        assertEquals(2, read.version);
        assertEquals(HASH, read.sha256);
        assertEquals(Step.ACCEPT, read.step);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a page of the previous extension (five fields)|NOTICE 4 HASH notice privacy",
        "a sixth field that is no language tag|NOTICE 4 HASH notice privacy <script>",
    })
    void decode_noUsableLocale_keepsTheVersionWithoutLocale(String what, String note) {
        Shown read = Shown.decode(note.replace("HASH", HASH));

        assertNotNull(read, what);
        assertEquals(4, read.version);
        assertEquals(Step.NOTICE, read.step);
        assertNull(read.locale);
    }

    @Test
    void encode_noLocale_writesTheFiveFieldsOfBefore() {
        assertEquals("ACCEPT 2 " + HASH + " material privacy", Shown.of(policy(), Step.ACCEPT, null).encode());
    }

    @Test
    void decode_sevenFields_isNoNote() {
        assertNull(Shown.decode("ACCEPT 2 " + HASH + " material privacy es extra"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "null", textBlock = """
        es,         es
        en,         en
        pt-BR,      pt-BR
        zh-Hant-TW, zh-Hant-TW
        es-419,     es-419
        und,        null
        """)
    void languageTag_localesKeycloakResolves_areTheirBcp47Tags(String given, String expected) {
        assertEquals(expected, Shown.languageTag(Locale.forLanguageTag(given)));
    }

    @Test
    void languageTag_noLocaleOrRootOrOverlong_isNull() {
        assertNull(Shown.languageTag(null));
        assertNull(Shown.languageTag(Locale.ROOT));
        // A well-formed tag, but longer than the 35 characters the ledger reads.
        Locale overlong = Locale.forLanguageTag("es-" + "aaaaaaaa-".repeat(4) + "aaaaaaaa");
        assertEquals(47, overlong.toLanguageTag().length());
        assertNull(Shown.languageTag(overlong));
    }
}
