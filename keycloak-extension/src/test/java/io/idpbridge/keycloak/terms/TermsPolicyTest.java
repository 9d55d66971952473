package io.idpbridge.keycloak.terms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idpbridge.keycloak.terms.TermsPolicy.Kind;
import io.idpbridge.keycloak.terms.TermsPolicy.Reading;
import io.idpbridge.keycloak.terms.TermsPolicy.Step;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TermsPolicyTest {

    private static final String HASH = "a".repeat(64);

    /** A realm's attributes with material v{material} and, when above 0, notice v{notice}; version is the newest. */
    private static Map<String, String> realm(int version, String kind, int material, int notice) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("idpbridge.terms.version", Integer.toString(version));
        attributes.put("idpbridge.terms.kind", kind);
        attributes.put("idpbridge.terms.sha256", HASH);
        attributes.put("idpbridge.terms.effective", "2026-07-01T00:00:00Z");
        attributes.put("idpbridge.terms.materialVersion", Integer.toString(material));
        if (notice > 0) {
            attributes.put("idpbridge.terms.noticeVersion", Integer.toString(notice));
        }
        attributes.put("some.other.attribute", "kept");
        return attributes;
    }

    private static TermsPolicy policy(Map<String, String> attributes) {
        Reading reading = TermsPolicy.read(attributes::get);
        assertNull(reading.fault(), "no fault");
        assertNotNull(reading.policy());
        return reading.policy();
    }

    @Test
    void read_completeAttributes_givesEveryField() {
        Map<String, String> attributes = realm(4, "notice", 2, 4);
        attributes.put("idpbridge.terms.policy", "privacy");

        TermsPolicy policy = policy(attributes);

        assertEquals("privacy", policy.policy());
        assertEquals(4, policy.version());
        assertEquals(Kind.NOTICE, policy.kind());
        assertEquals(HASH, policy.sha256());
        assertEquals(Instant.parse("2026-07-01T00:00:00Z"), policy.effective());
        assertEquals(2, policy.materialVersion());
        assertEquals(4, policy.noticeVersion());
    }

    @Test
    void read_noPolicyName_isPrivacy() {
        assertEquals("privacy", policy(realm(1, "material", 1, 0)).policy());
    }

    @Test
    void read_noVersion_isNotConfiguredAndNoFault() {
        Reading reading = TermsPolicy.read(Map.of("other", "x")::get);

        assertNull(reading.policy());
        assertNull(reading.fault());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "idpbridge.terms.version|two",
        "idpbridge.terms.version|0",
        "idpbridge.terms.version|-1",
        "idpbridge.terms.version|1.5",
        "idpbridge.terms.version|99999999999",
        "idpbridge.terms.kind|MATERIAL",
        "idpbridge.terms.kind|major",
        "idpbridge.terms.kind|''",
        "idpbridge.terms.sha256|abc",
        "idpbridge.terms.sha256|" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "idpbridge.terms.effective|2026-07-01",
        "idpbridge.terms.effective|yesterday",
        "idpbridge.terms.materialVersion|''",
        "idpbridge.terms.materialVersion|x",
        "idpbridge.terms.materialVersion|3",
        "idpbridge.terms.noticeVersion|9",
        "idpbridge.terms.noticeVersion|n",
        "idpbridge.terms.policy|Privacy Policy",
        "idpbridge.terms.materialEffective|2026-07-01",
        "idpbridge.terms.noticeEffective|soon",
    })
    void read_oneMalformedValue_isAFaultNamingTheAttribute(String name, String value) {
        Map<String, String> attributes = realm(2, "material", 2, 0);
        attributes.put(name, value);

        Reading reading = TermsPolicy.read(attributes::get);

        assertNull(reading.policy(), "no version in force: the login goes on");
        assertNotNull(reading.fault());
        assertTrue(reading.fault().contains(name), reading.fault());
    }

    @ParameterizedTest
    @CsvSource({ "idpbridge.terms.kind", "idpbridge.terms.sha256", "idpbridge.terms.effective", "idpbridge.terms.materialVersion" })
    void read_requiredAttributeMissing_isAFault(String name) {
        Map<String, String> attributes = realm(2, "material", 2, 0);
        attributes.remove(name);

        Reading reading = TermsPolicy.read(attributes::get);

        assertNull(reading.policy());
        assertTrue(reading.fault().contains(name + " is missing"), reading.fault());
    }

    @Test
    void read_materialKindButOlderMaterialVersion_isAFault() {
        Reading reading = TermsPolicy.read(realm(3, "material", 2, 0)::get);

        assertNull(reading.policy());
        assertNotNull(reading.fault());
    }

    @Test
    void read_noticeKindButOtherNoticeVersion_isAFault() {
        Reading reading = TermsPolicy.read(realm(4, "notice", 2, 0)::get);

        assertNull(reading.policy());
        assertTrue(reading.fault().contains("noticeVersion"), reading.fault());
    }

    @Test
    void read_valuesWithSurroundingSpaces_areTrimmed() {
        Map<String, String> attributes = realm(2, "material", 2, 0);
        attributes.put("idpbridge.terms.version", " 2 ");

        assertEquals(2, policy(attributes).version());
    }

    // The sequence: v1 material, v2 material, v3 minor, v4 notice (accepted, acknowledged) -> step.
    @ParameterizedTest(name = "v{0} {1} (material {2}, notice {3}), accepted {4}, acknowledged {5}: {6}")
    @CsvSource({
        "1, material, 1, 0, 0, 0, ACCEPT",
        "1, material, 1, 0, 1, 0, NONE",
        "2, material, 2, 0, 1, 0, ACCEPT",
        "2, material, 2, 0, 2, 0, NONE",
        "3, minor,    2, 0, 2, 0, NONE",
        "3, minor,    2, 0, 1, 0, ACCEPT",
        "3, minor,    2, 0, 0, 0, ACCEPT",
        "4, notice,   2, 4, 2, 0, NOTICE",
        "4, notice,   2, 4, 2, 4, NONE",
        "4, notice,   2, 4, 3, 0, NOTICE",
        "4, notice,   2, 4, 4, 0, NONE",
        "4, notice,   2, 4, 1, 4, ACCEPT",
        "4, notice,   2, 4, 0, 0, ACCEPT",
        "5, minor,    2, 4, 2, 4, NONE",
        "5, minor,    2, 4, 2, 0, NOTICE",
        "6, material, 6, 4, 4, 4, ACCEPT",
        "1, minor,    0, 0, 0, 0, NONE",
        "1, notice,   0, 1, 0, 0, NOTICE",
    })
    void stepFor_versionsInForceAndStored_asksWhatIsOwed(int version, String kind, int material, int notice, int accepted, int acknowledged, Step expected) {
        TermsPolicy policy = policy(realm(version, kind, material, notice));

        assertEquals(expected, policy.stepFor(accepted, acknowledged));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = { "null, 0", "'', 0", "abc, 0", "-3, 0", "3, 3", "' 7 ', 7" })
    void storedVersion_anyValue_isANumberOrNever(String stored, int expected) {
        assertEquals(expected, TermsPolicy.storedVersion(stored));
    }

    /** Material v2 effective 2026-07-01T00:00:00Z (1782864000) and notice v4 effective 2026-08-01T00:00:00Z (1785542400). */
    private static TermsPolicy withEffectiveTimes() {
        Map<String, String> attributes = realm(4, "notice", 2, 4);
        attributes.put("idpbridge.terms.materialEffective", "2026-07-01T00:00:00Z");
        attributes.put("idpbridge.terms.noticeEffective", "2026-08-01T00:00:00Z");
        return policy(attributes);
    }

    @ParameterizedTest
    @CsvSource({
        // accepted, acknowledged, terms_and_conditions seconds, step
        "0, 0, -1,         ACCEPT",   // never answered anything
        "0, 0, 1782863999, ACCEPT",   // Keycloak's step answered a second before material v2 took effect: v1's text
        "0, 0, 1782864000, NOTICE",   // answered in the second v2 took effect: v2 accepted, the notice not yet seen
        "0, 0, 1785542399, NOTICE",
        "0, 0, 1785542400, NONE",     // answered once the notice was in force: its "continue"
        "1, 0, 1785542400, NONE",     // a stored older acceptance does not outweigh the time
        "2, 0, 1782864000, NOTICE",
        "4, 0, -1,         NONE",     // the bridge's own record still decides alone
    })
    void stepFor_termsAndConditionsTime_countsAsAnswerFromTheEffectiveTimeOn(int accepted, int acknowledged, long seconds, Step expected) {
        assertEquals(expected, withEffectiveTimes().stepFor(accepted, acknowledged, seconds));
    }

    @ParameterizedTest
    @CsvSource({
        // material v2 took effect at 1782864000.250: an answer stored as 1782864000 may be v1's, one second on is v2's
        "1782863999, ACCEPT",
        "1782864000, ACCEPT",
        "1782864001, NONE",
    })
    void stepFor_versionEffectivePartWayThroughASecond_answerInThatSecondAskedAgain(long seconds, Step expected) {
        Map<String, String> attributes = realm(2, "material", 2, 0);
        attributes.put("idpbridge.terms.materialEffective", "2026-07-01T00:00:00.250Z");
        TermsPolicy policy = policy(attributes);

        assertEquals(expected, policy.stepFor(1, 0, seconds));
    }

    @Test
    void stepFor_termsAndConditionsTimeWithoutEffectiveTimes_countsForNothing() {
        TermsPolicy policy = policy(realm(4, "notice", 2, 4));

        assertEquals(Step.ACCEPT, policy.stepFor(0, 0, 4_000_000_000L));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = { "null, -1", "'', -1", "abc, -1", "-5, -1", "1782864000, 1782864000", "' 12 ', 12" })
    void storedSeconds_anyValue_isSecondsOrNever(String stored, long expected) {
        assertEquals(expected, TermsPolicy.storedSeconds(stored));
    }
}
