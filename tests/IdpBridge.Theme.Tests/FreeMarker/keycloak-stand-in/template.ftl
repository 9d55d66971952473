<#--
  Stand-in for keycloak.v2's login/template.ftl, for tests only: the same macro name and parameters
  (registrationLayout bodyClass displayInfo displayMessage displayRequiredFields) and the same section mechanism
  (the page's body is called once per <#nested "name">: "header" inside the page title h1, then "form", "info",
  "socialProviders"). It leaves out keycloak.v2's PatternFly stylesheets and scripts, which are served by Keycloak
  and not part of this repository; a few inline rules keep the screenshot readable. No external resources.
-->
<#macro registrationLayout bodyClass="" displayInfo=false displayMessage=true displayRequiredFields=false>
<!DOCTYPE html>
<html class="${properties.kcHtmlClass!}" lang="${lang}"<#if realm.internationalizationEnabled> dir="${(locale.rtl)?then('rtl','ltr')}"</#if>>
<head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex, nofollow">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${msg("loginTitle",(realm.displayName!''))}</title>
    <link rel="icon" href="data:,">
    <style>
        body { font-family: sans-serif; background: #f0f0f0; margin: 0; }
        main { max-width: 36rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-top: 4px solid #06c; }
        h1 { font-size: 1.5rem; }
        .pf-v5-screen-reader { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0,0,0,0); }
        button { font-size: 1rem; padding: .5rem 1.25rem; margin-right: .5rem; }
        #kc-accept { background: #06c; color: #fff; border: 0; }
    </style>
</head>
<body id="keycloak-bg" class="${properties.kcBodyClass!}">
<main class="${properties.kcLoginMain!}">
    <header id="kc-header"><div id="kc-header-wrapper">${kcSanitize(msg("loginTitleHtml",(realm.displayName!'')))?no_esc}</div></header>
    <h1 id="kc-page-title"><#nested "header"></h1>
    <div id="kc-content">
        <#if displayMessage && message?has_content>
            <div class="${properties.kcAlertClass!}">${kcSanitize(message.summary)?no_esc}</div>
        </#if>
        <#nested "form">
        <#if displayInfo>
            <div id="kc-info"><#nested "info"></div>
        </#if>
    </div>
    <div><#nested "socialProviders"></div>
</main>
</body>
</html>
</#macro>
