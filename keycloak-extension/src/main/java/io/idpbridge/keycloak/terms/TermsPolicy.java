package io.idpbridge.keycloak.terms;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The policy version in force in a realm, as IdpBridge writes it into the realm's attributes, and the one decision
 * the bridge makes at login: what, if anything, this user must be shown. Plain Java (no Keycloak type), so the
 * version logic is unit-tested without a server. The attribute contract is in keycloak-extension/README.md.
 */
public final class TermsPolicy {

    /** Prefix of every realm attribute (and user attribute) the bridge reads or writes. */
    public static final String PREFIX = "idpbridge.terms.";
    public static final String POLICY = PREFIX + "policy";
    public static final String VERSION = PREFIX + "version";
    public static final String KIND = PREFIX + "kind";
    public static final String SHA256 = PREFIX + "sha256";
    public static final String EFFECTIVE = PREFIX + "effective";
    public static final String MATERIAL_VERSION = PREFIX + "materialVersion";
    public static final String NOTICE_VERSION = PREFIX + "noticeVersion";
    /** Optional: when the material version in force took effect; a {@code terms_and_conditions} time at or after it is its acceptance. */
    public static final String MATERIAL_EFFECTIVE = PREFIX + "materialEffective";
    /** Optional: when the notice in force took effect; a {@code terms_and_conditions} time at or after it is its acknowledgement. */
    public static final String NOTICE_EFFECTIVE = PREFIX + "noticeEffective";

    /** The policy name when the realm does not say (the demo realm's only policy). */
    public static final String DEFAULT_POLICY = "privacy";

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern POLICY_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** What a published version asks of users, as IdpBridge's policy model names it. */
    public enum Kind {
        MATERIAL, MINOR, NOTICE;

        /** The attribute and event spelling: lower case. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the user meets at this login. */
    public enum Step {
        /** Nothing: the login goes on. */
        NONE,
        /** The terms page with accept and decline: the user has not accepted the material version in force. */
        ACCEPT,
        /** The terms page with a single "continue": a notice this user has not seen yet. */
        NOTICE;

        /** The spelling the login theme reads ({@code idpbridgeTermsStep}). */
        public String wire() {
            return this == ACCEPT ? "accept" : name().toLowerCase(Locale.ROOT);
        }
    }

    private final String policy;
    private final int version;
    private final Kind kind;
    private final String sha256;
    private final Instant effective;
    private final int materialVersion;
    private final int noticeVersion;
    private final Instant materialEffective;
    private final Instant noticeEffective;

    private TermsPolicy(String policy, int version, Kind kind, String sha256, Instant effective, int materialVersion, int noticeVersion,
            Instant materialEffective, Instant noticeEffective) {
        this.policy = policy;
        this.version = version;
        this.kind = kind;
        this.sha256 = sha256;
        this.effective = effective;
        this.materialVersion = materialVersion;
        this.noticeVersion = noticeVersion;
        this.materialEffective = materialEffective;
        this.noticeEffective = noticeEffective;
    }

    public String policy() {
        return policy;
    }

    public int version() {
        return version;
    }

    public Kind kind() {
        return kind;
    }

    public String sha256() {
        return sha256;
    }

    public Instant effective() {
        return effective;
    }

    public int materialVersion() {
        return materialVersion;
    }

    public int noticeVersion() {
        return noticeVersion;
    }

    /**
     * What a user who last accepted {@code acceptedVersion} and last acknowledged the notice {@code acknowledgedVersion}
     * (0 for never) meets. An acceptance covers every notice up to the version accepted, since the text accepted
     * already held it; an acknowledgement never stands in for an acceptance.
     */
    public Step stepFor(int acceptedVersion, int acknowledgedVersion) {
        if (acceptedVersion < materialVersion) {
            return Step.ACCEPT;
        }
        if (noticeVersion > Math.max(acceptedVersion, acknowledgedVersion)) {
            return Step.NOTICE;
        }
        return Step.NONE;
    }

    /**
     * The same, for a user who may also have answered Keycloak's own terms step (Admin API mode, before the realm
     * moved to the bridge): {@code termsAcceptedSeconds} is their {@code terms_and_conditions} time (epoch seconds, -1
     * when absent). A time at or after the material version's effective time counts as its acceptance, and at or after
     * the notice's as its acknowledgement, so nobody is asked twice for the same version. Without the realm's
     * {@value #MATERIAL_EFFECTIVE} / {@value #NOTICE_EFFECTIVE} the time counts for nothing.
     */
    public Step stepFor(int acceptedVersion, int acknowledgedVersion, long termsAcceptedSeconds) {
        int accepted = acceptedVersion;
        int acknowledged = acknowledgedVersion;
        if (termsAcceptedSeconds >= 0 && materialEffective != null && termsAcceptedSeconds >= firstWholeSecondFrom(materialEffective)) {
            accepted = Math.max(accepted, materialVersion);
        }
        if (termsAcceptedSeconds >= 0 && noticeEffective != null && termsAcceptedSeconds >= firstWholeSecondFrom(noticeEffective)) {
            acknowledged = Math.max(acknowledged, noticeVersion);
        }
        return stepFor(accepted, acknowledged);
    }

    /**
     * The first {@code terms_and_conditions} second that is surely at or after {@code effective}. Keycloak stores whole
     * seconds, truncated: an answer stored as the very second a version took effect part-way through may have come
     * before it (the previous version's text), so it is asked again rather than counted.
     */
    private static long firstWholeSecondFrom(Instant effective) {
        return effective.getNano() == 0 ? effective.getEpochSecond() : effective.getEpochSecond() + 1;
    }

    /** A {@code terms_and_conditions} value (epoch seconds); -1 when absent or not a number. */
    public static long storedSeconds(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Math.max(Long.parseLong(value.trim()), -1);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A version number stored on a user; 0 (never) when absent or not a positive number, so the user is asked again rather than refused. */
    public static int storedVersion(String value) {
        if (value == null) {
            return 0;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            return Math.max(parsed, 0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Reads the realm's attributes. Never throws: a realm without {@value #VERSION} is not configured, and any other
     * gap or contradiction is a fault that the caller logs while the login goes on.
     */
    public static Reading read(Function<String, String> attributes) {
        Objects.requireNonNull(attributes, "attributes");
        String versionText = attributes.apply(VERSION);
        if (versionText == null || versionText.isBlank()) {
            return Reading.absent();
        }
        try {
            int version = positive(VERSION, versionText);
            Kind kind = kind(attributes.apply(KIND));
            String sha256 = required(SHA256, attributes.apply(SHA256));
            if (!HEX_SHA256.matcher(sha256).matches()) {
                throw new Malformed(SHA256 + " is not 64 lower-case hex digits: '" + sha256 + "'");
            }
            Instant effective = instant(EFFECTIVE, required(EFFECTIVE, attributes.apply(EFFECTIVE)));
            Instant materialEffective = optionalInstant(MATERIAL_EFFECTIVE, attributes.apply(MATERIAL_EFFECTIVE));
            Instant noticeEffective = optionalInstant(NOTICE_EFFECTIVE, attributes.apply(NOTICE_EFFECTIVE));
            int material = number(MATERIAL_VERSION, required(MATERIAL_VERSION, attributes.apply(MATERIAL_VERSION)));
            String noticeText = attributes.apply(NOTICE_VERSION);
            int notice = noticeText == null || noticeText.isBlank() ? 0 : number(NOTICE_VERSION, noticeText);
            String policy = attributes.apply(POLICY);
            policy = policy == null || policy.isBlank() ? DEFAULT_POLICY : policy.trim();
            if (!POLICY_NAME.matcher(policy).matches()) {
                throw new Malformed(POLICY + " is not a policy name: '" + policy + "'");
            }
            if (material > version || notice > version) {
                throw new Malformed(MATERIAL_VERSION + " (" + material + ") and " + NOTICE_VERSION + " (" + notice
                    + ") cannot be above " + VERSION + " (" + version + ")");
            }
            if (kind == Kind.MATERIAL && material != version) {
                throw new Malformed(KIND + " is material but " + MATERIAL_VERSION + " (" + material + ") is not " + VERSION + " (" + version + ")");
            }
            if (kind == Kind.NOTICE && notice != version) {
                throw new Malformed(KIND + " is notice but " + NOTICE_VERSION + " (" + notice + ") is not " + VERSION + " (" + version + ")");
            }
            return Reading.of(new TermsPolicy(policy, version, kind, sha256, effective, material, notice, materialEffective, noticeEffective));
        } catch (Malformed e) {
            return Reading.malformed(e.getMessage());
        }
    }

    private static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new Malformed(name + " is missing");
        }
        return value.trim();
    }

    private static int positive(String name, String value) {
        int parsed = number(name, value);
        if (parsed < 1) {
            throw new Malformed(name + " must be 1 or more: '" + value + "'");
        }
        return parsed;
    }

    private static int number(String name, String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 0) {
                throw new Malformed(name + " is negative: '" + value + "'");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new Malformed(name + " is not a whole number: '" + value + "'");
        }
    }

    private static Kind kind(String value) {
        String text = required(KIND, value);
        for (Kind kind : Kind.values()) {
            if (kind.wire().equals(text)) {
                return kind;
            }
        }
        throw new Malformed(KIND + " is not material, minor or notice: '" + text + "'");
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new Malformed(name + " is not an ISO-8601 UTC instant (e.g. 2026-07-01T00:00:00Z): '" + value + "'");
        }
    }

    private static Instant optionalInstant(String name, String value) {
        return value == null || value.isBlank() ? null : instant(name, value.trim());
    }

    /** The outcome of {@link #read}: a policy, nothing configured, or a fault (with what is wrong). */
    public static final class Reading {
        private static final Reading ABSENT = new Reading(null, null);
        private final TermsPolicy policy;
        private final String fault;

        private Reading(TermsPolicy policy, String fault) {
            this.policy = policy;
            this.fault = fault;
        }

        static Reading absent() {
            return ABSENT;
        }

        static Reading of(TermsPolicy policy) {
            return new Reading(policy, null);
        }

        static Reading malformed(String fault) {
            return new Reading(null, fault);
        }

        /** The version in force, or null when the realm has none or a malformed one. */
        public TermsPolicy policy() {
            return policy;
        }

        /** What is wrong with the realm's attributes, or null. */
        public String fault() {
            return fault;
        }
    }

    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
