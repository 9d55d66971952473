package io.idpbridge.keycloak.terms;

import io.idpbridge.keycloak.terms.TermsPolicy.Step;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
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
        context.getAuthenticationSession().setAuthNote(SHOWN_NOTE, Shown.of(policy, step).encode());
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

    /** The version and step a page showed, carried in the authentication session between the page and the answer. */
    static final class Shown {
        final Step step;
        final int version;
        final String sha256;
        final String kind;
        final String policy;

        private Shown(Step step, int version, String sha256, String kind, String policy) {
            this.step = step;
            this.version = version;
            this.sha256 = sha256;
            this.kind = kind;
            this.policy = policy;
        }

        static Shown of(TermsPolicy policy, Step step) {
            return new Shown(step, policy.version(), policy.sha256(), policy.kind().wire(), policy.policy());
        }

        // No field can hold a space: the policy name and hash are validated, the rest are numbers and enum names.
        String encode() {
            return String.join(" ", step.name(), Integer.toString(version), sha256, kind, policy);
        }

        static Shown decode(String note) {
            if (note == null) {
                return null;
            }
            String[] parts = note.split(" ");
            try {
                return parts.length == 5 ? new Shown(Step.valueOf(parts[0]), Integer.parseInt(parts[1]), parts[2], parts[3], parts[4]) : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
