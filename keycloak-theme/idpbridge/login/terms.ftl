<#--
  The terms step (required action TERMS_AND_CONDITIONS). keycloak.v2's own form is kept as it is: a POST to
  url.loginAction with submit buttons named "accept" and "cancel" (ids kc-accept, kc-decline), which is what
  Keycloak's TermsAndConditions action reads. What this theme adds: the realm's termsText (published by IdpBridge
  with the policy version, effective date and what changed) is shown sanitised, followed by a link to the full
  policy on IdpBridge's public page in the user's language.
  Buttons are written out rather than taken from keycloak.v2's buttons.ftl, whose macro signature has changed
  between Keycloak releases; the classes are the same properties it uses.
  The same page serves IdpBridge's own required action (keycloak-extension/, alias idpbridge-terms), which adds
  idpbridgeTermsStep ("accept" or "notice"), idpbridgeTermsVersion, idpbridgeTermsKind and idpbridgeTermsEffectiveDate.
  A notice has nothing to decline: one "continue" button, still named "accept" so that either action reads it as an
  answer; only the extension asks for it, because only it knows that this user has accepted the material version in
  force. Without the extension (Admin API mode) Keycloak renders this page for the whole realm with no user in the data
  model (TermsAndConditions calls createForm("terms.ftl"), which gets no user bean), and the users it asks while a
  notice is in force include new users and those still owing a material version: they must be able to accept or
  decline, so the page keeps both buttons and the realm text idpbridgeTermsKind=notice only adds a line saying so.
-->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg("termsTitle")}
    <#elseif section = "form">
    <!-- template: terms.ftl (idpbridge) -->
    <#-- locale is in the data model only when the realm has internationalisation on; otherwise Keycloak shows
         English, and lang says so. -->
    <#assign policyLang = (locale.currentLanguageTag)!(lang!"en")>
    <#assign policyUrl = (properties.idpbridgeUrl!"") + "/policies/" + realm.name?url('UTF-8') + "/privacy?lang=" + policyLang?url('UTF-8')>
    <#assign termsStep = idpbridgeTermsStep!"accept">
    <#if idpbridgeTermsVersion??>
    <p id="idpbridge-terms-version" class="${properties.kcContentWrapperClass!}">${msg("idpbridgeTermsVersionLine", idpbridgeTermsVersion, idpbridgeTermsEffectiveDate!"")}</p>
    </#if>
    <div id="kc-terms-text" class="${properties.kcContentWrapperClass!}">
        ${kcSanitize(msg("termsText"))?no_esc}
    </div>
    <p id="idpbridge-full-policy" class="${properties.kcContentWrapperClass!}">
        <a id="idpbridge-full-policy-link" href="${policyUrl}" target="_blank" rel="noopener" hreflang="${policyLang}">${msg("termsFullPolicyLink")}<span class="pf-v5-screen-reader"> ${msg("termsFullPolicyNewTab")}</span></a>
    </p>
    <form id="kc-terms-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="POST">
        <div class="${properties.kcFormGroupClass!}">
            <div class="${properties.kcFormActionGroupClass!}">
                <#if termsStep == "notice">
                <p id="idpbridge-notice-hint">${msg("idpbridgeTermsNoticeHint")}</p>
                <button class="${properties.kcButtonPrimaryClass!}" name="accept" id="kc-continue" type="submit">${msg("idpbridgeTermsContinue")}</button>
                <#else>
                <#if !(idpbridgeTermsStep??) && msg("idpbridgeTermsKind") == "notice">
                <p id="idpbridge-notice-accept-hint">${msg("idpbridgeTermsNoticeAcceptHint")}</p>
                </#if>
                <button class="${properties.kcButtonPrimaryClass!}" name="accept" id="kc-accept" type="submit">${msg("doAccept")}</button>
                <button class="${properties.kcButtonSecondaryClass!}" name="cancel" id="kc-decline" type="submit">${msg("doDecline")}</button>
                </#if>
            </div>
        </div>
    </form>
    <div class="clearfix"></div>
    </#if>
</@layout.registrationLayout>
