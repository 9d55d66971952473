package io.idpbridge.keycloak.terms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultLogTest {

    private final List<String> said = new ArrayList<>();
    private final FaultLog log = new FaultLog((realm, fault) -> said.add(realm + ": " + fault));

    @Test
    void report_sameFaultAtEveryLogin_isSaidOnce() {
        for (int login = 0; login < 1000; login++) {
            log.report("externos", "idpbridge.terms.version is not a whole number: 'two'");
        }

        assertEquals(List.of("externos: idpbridge.terms.version is not a whole number: 'two'"), said);
    }

    @Test
    void report_faultsOfTwoRealms_areEachSaid() {
        log.report("a", "broken");
        log.report("b", "broken");
        log.report("a", "broken");

        assertEquals(List.of("a: broken", "b: broken"), said);
    }

    @Test
    void report_newValue_isSaidAgain() {
        log.report("a", "version 'x'");
        log.report("a", "version 'y'");

        assertEquals(List.of("a: version 'x'", "a: version 'y'"), said);
    }

    @Test
    void report_sameFaultAfterTheRealmWasHealthy_isSaidAgain() {
        log.report("a", "broken");
        log.report("a", null);
        log.report("a", "broken");

        assertEquals(2, said.size());
    }

    @Test
    void report_healthyRealm_saysNothing() {
        log.report("a", null);

        assertEquals(List.of(), said);
    }
}
