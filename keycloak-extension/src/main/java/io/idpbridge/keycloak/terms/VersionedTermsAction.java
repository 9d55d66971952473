package io.idpbridge.keycloak.terms;

import io.idpbridge.keycloak.terms.TermsPolicy.Step;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.logging.Logger;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * IdpBridge's terms step: asks a user at login to accept the material policy version in force (or shows a notice once),
 * with the version read from the realm's attributes, so a new version reaches every user with one realm write.
 * Stateless: one instance is both the factory and the provider, as Keycloak's own TermsAndConditions is.
 */
public final class VersionedTermsAction implements RequiredActionProvider, RequiredActionFactory {

    /** The provider id, the required action's alias and the {@code custom_required_action} detail of its events. */
    public static final String PROVIDER_ID = "idpbridge-terms";

    /** User attributes, written server-side only (no profile validation runs on them; not declared in the user profile). */
    public static final String ACCEPTED_VERSION = TermsPolicy.PREFIX + "acceptedVersion";
    public static final String ACCEPTED_SHA256 = TermsPolicy.PREFIX + "acceptedSha256";
    public static final String ACCEPTED_AT = TermsPolicy.PREFIX + "acceptedAt";
    public static final String ACKNOWLEDGED_VERSION = TermsPolicy.PREFIX + "acknowledgedVersion";
    public static final String ACKNOWLEDGED_AT = TermsPolicy.PREFIX + "acknowledgedAt";

    /** Keycloak's own acceptance time (epoch seconds), kept up to date so Admin API mode and the ledger's timestamps still hold. */
    public static final String TERMS_AND_CONDITIONS = "terms_and_conditions";

    /** What the client is told on a decline: the built-in action's message, so applications handle both modes alike. */
    public static final String DECLINED = "termsAndConditionsDeclined";

    /** The event detail naming the language the page was rendered in (a BCP 47 tag, e.g. {@code es}, {@code pt-BR}). */
    public static final String LOCALE_DETAIL = "locale";

    // What the page showed, so the acceptance records that version even if a newer one lands before the user clicks.
    private static final String SHOWN_NOTE = PROVIDER_ID + ".shown";

    // java.util.logging, which Keycloak's log manager serves: jboss-logging is not among the jars compiled against.
    private static final Logger LOG = Logger.getLogger(VersionedTermsAction.class.getName());
    private static final FaultLog FAULTS = new FaultLog((realm, fault) -> LOG.warning(
        "IdpBridge terms bridge, realm " + realm + ": " + fault + ". The login goes on without the terms step until the realm's attributes are fixed."));

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        try {
            TermsPolicy policy = policyOf(context.getRealm());
            if (policy != null && stepFor(policy, context.getUser()) != Step.NONE) {
                // On the authentication session, not the user: nothing is written to a user before they act.
                context.getAuthenticationSession().addRequiredAction(PROVIDER_ID);
            }
        } catch (RuntimeException e) {
            // The bridge must never be the reason a login fails.
            FAULTS.report(context.getRealm().getName(), "evaluating the terms step failed: " + e);
        }
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        TermsPolicy policy;
        Step step;
        try {
            policy = policyOf(context.getRealm());
            step = policy == null ? Step.NONE : stepFor(policy, context.getUser());
        } catch (RuntimeException e) {
            FAULTS.report(context.getRealm().getName(), "preparing the terms step failed: " + e);
            step = Step.NONE;
            policy = null;
        }
        if (step == Step.NONE) {
            // The realm changed (or broke) since the trigger, or another tab accepted: nothing to show. ignore() moves
            // on without the success event a success() here would record.
            context.ignore();
            return;
        }
        // The locale the form resolves for this page (FreeMarkerLoginFormsProvider.createForm asks the same, for the
        // same user): kc_locale, the user's locale, ui_locales, the locale cookie, Accept-Language, the realm default.
        Locale shownIn = context.getSession().getContext().resolveLocale(context.getUser());
        context.getAuthenticationSession().setAuthNote(SHOWN_NOTE, Shown.of(policy, step, shownIn).encode());
        Response page = context.form()
            .setAttribute("user", context.getAuthenticationSession().getAuthenticatedUser())
            .setAttribute("idpbridgeTermsStep", step.wire())
            .setAttribute("idpbridgeTermsVersion", Integer.toString(policy.version()))
            .setAttribute("idpbridgeTermsKind", policy.kind().wire())
            .setAttribute("idpbridgeTermsEffective", policy.effective().toString())
            .setAttribute("idpbridgeTermsEffectiveDate", DateTimeFormatter.ISO_LOCAL_DATE.format(policy.effective().atOffset(ZoneOffset.UTC)))
            .createForm("terms.ftl");
        context.challenge(page);
    }

    @Override
    public void processAction(RequiredActionContext context) {
        Shown shown = Shown.decode(context.getAuthenticationSession().getAuthNote(SHOWN_NOTE));
        if (shown == null) {
            requiredActionChallenge(context);
            return;
        }
        context.getAuthenticationSession().removeAuthNote(SHOWN_NOTE);
        UserModel user = context.getUser();
        EventBuilder event = context.getEvent()
            .detail("policy", shown.policy)
            .detail("version", Integer.toString(shown.version))
            .detail("sha256", shown.sha256)
            .detail("kind", shown.kind);
        if (shown.locale != null) {
            event.detail(LOCALE_DETAIL, shown.locale);
        }
        boolean declined = context.getHttpRequest().getDecodedFormParameters().containsKey("cancel");
        if (shown.step == Step.ACCEPT && declined) {
            // Whatever the user accepted before stays recorded: a decline of version N is not a withdrawal of N-1.
            event.detail("decision", "declined");
            context.failure(DECLINED);
            return;
        }

        long seconds = Time.currentTimeSeconds();
        String at = Instant.ofEpochSecond(seconds).truncatedTo(ChronoUnit.SECONDS).toString();
        if (shown.step == Step.NOTICE) {
            // A notice has no decline: any answer to it, even a forged "cancel", is the acknowledgement.
            user.setSingleAttribute(ACKNOWLEDGED_VERSION, Integer.toString(shown.version));
            user.setSingleAttribute(ACKNOWLEDGED_AT, at);
            event.detail("decision", "acknowledged");
        } else {
            user.setSingleAttribute(ACCEPTED_VERSION, Integer.toString(shown.version));
            user.setSingleAttribute(ACCEPTED_SHA256, shown.sha256);
            user.setSingleAttribute(ACCEPTED_AT, at);
            event.detail("decision", "accepted");
        }
        // The built-in page's "continue" and "accept" both set it: the same here, whichever the step was.
        user.setSingleAttribute(TERMS_AND_CONDITIONS, Long.toString(seconds));
        context.success();
    }

    private static TermsPolicy policyOf(RealmModel realm) {
        TermsPolicy.Reading reading = TermsPolicy.read(realm::getAttribute);
        FAULTS.report(realm.getName(), reading.fault());
        return reading.policy();
    }

    private static Step stepFor(TermsPolicy policy, UserModel user) {
        return policy.stepFor(
            TermsPolicy.storedVersion(user.getFirstAttribute(ACCEPTED_VERSION)),
            TermsPolicy.storedVersion(user.getFirstAttribute(ACKNOWLEDGED_VERSION)),
            TermsPolicy.storedSeconds(user.getFirstAttribute(TERMS_AND_CONDITIONS)));
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayText() {
        return "IdpBridge terms (versioned)";
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    /**
     * The version, step and language a page showed, carried in the authentication session between the page and the
     * answer.
     */
    static final class Shown {
        // A BCP 47 tag as Locale.toLanguageTag writes it, as long as the ledger reads one (at most 35 characters).
        private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");
        private static final int MAX_TAG_LENGTH = 35;

        final Step step;
        final int version;
        final String sha256;
        final String kind;
        final String policy;
        /** The page's language tag; null when unknown (a page rendered by an extension without it, or no usable locale). */
        final String locale;

        private Shown(Step step, int version, String sha256, String kind, String policy, String locale) {
            this.step = step;
            this.version = version;
            this.sha256 = sha256;
            this.kind = kind;
            this.policy = policy;
            this.locale = locale;
        }

        static Shown of(TermsPolicy policy, Step step, Locale shownIn) {
            return new Shown(step, policy.version(), policy.sha256(), policy.kind().wire(), policy.policy(), languageTag(shownIn));
        }

        /** The tag of {@code locale}, or null when there is none worth recording ({@code und}, too long, odd characters). */
        static String languageTag(Locale locale) {
            if (locale == null) {
                return null;
            }
            String tag = locale.toLanguageTag();
            return tag.length() <= MAX_TAG_LENGTH && !"und".equals(tag) && LANGUAGE_TAG.matcher(tag).matches() ? tag : null;
        }

        // No field can hold a space: the policy name and hash are validated, the locale is a checked tag, the rest are
        // numbers and enum names.
        String encode() {
            String fields = String.join(" ", step.name(), Integer.toString(version), sha256, kind, policy);
            return locale == null ? fields : fields + " " + locale;
        }

        static Shown decode(String note) {
            if (note == null) {
                return null;
            }
            String[] parts = note.split(" ");
            if (parts.length != 5 && parts.length != 6) {
                // Six since the locale was added; five from a page rendered by the previous extension (no locale).
                return null;
            }
            String locale = parts.length == 6 && parts[5].length() <= MAX_TAG_LENGTH && LANGUAGE_TAG.matcher(parts[5]).matches() ? parts[5] : null;
            try {
                return new Shown(Step.valueOf(parts[0]), Integer.parseInt(parts[1]), parts[2], parts[3], parts[4], locale);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
