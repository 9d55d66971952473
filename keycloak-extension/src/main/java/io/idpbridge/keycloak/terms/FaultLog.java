package io.idpbridge.keycloak.terms;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Says a realm's fault once: the bridge reads the realm at every login, and a broken value would otherwise fill the
 * log with one line per login. A realm's fault is said again only when it changes, or after the realm was healthy.
 */
public final class FaultLog {
    private final Map<String, String> lastFault = new ConcurrentHashMap<>();
    private final BiConsumer<String, String> sink;

    /** {@code sink} receives (realm, fault) the first time a realm shows that fault. */
    public FaultLog(BiConsumer<String, String> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Reports what {@code fault} says about {@code realm} (null: the realm is healthy now). */
    public void report(String realm, String fault) {
        if (fault == null) {
            lastFault.remove(realm);
            return;
        }
        String previous = lastFault.put(realm, fault);
        if (!fault.equals(previous)) {
            sink.accept(realm, fault);
        }
    }
}
