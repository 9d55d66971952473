// Renders one login-theme template with the real FreeMarker engine, the way Keycloak 26 does, for
// IdpBridge.Theme.Tests. Compiled and run by FreeMarkerRenderer.cs:
//
//   java -cp <classes>:freemarker.jar:owasp-java-html-sanitizer.jar:guava.jar ThemeRenderer request.properties out.html
//
// What follows Keycloak (services/.../theme, read for facts; written here anew):
// - Configuration as DefaultFreeMarkerProvider sets it: incompatible improvements 2.3.0 (Keycloak calls the
//   deprecated no-argument constructor, which means the same), HTML output format for *.ftl (so ${} escapes and
//   ?no_esc is needed for HTML), ?new disabled, templates read as UTF-8.
// - Templates looked up in the theme first, then in its parent (here a small stand-in for keycloak.v2's
//   template.ftl), like ExtendingThemeManager.ExtendingTheme.getTemplate.
// - Messages: English first, then the requested locale, parent theme before child theme, then the realm's own
//   texts for that locale on top; files read with PropertyResourceBundle (UTF-8, ISO-8859-1 fallback) as
//   PropertiesUtil.readCharsetAware does.
// - msg(key, args...): ${name} in the text replaced from the messages, then java.text.MessageFormat with the
//   locale, as MessageFormatterMethod does.
// - theme.properties: parent's then child's, then ${env.NAME:default} / ${sysprop:default} substituted, as
//   ExtendingTheme.getProperties does with StringPropertyReplacer.
// - kcSanitize: Keycloak's allow-list (KeycloakSanitizerPolicy.POLICY_DEFINITION) on the OWASP Java HTML
//   Sanitizer that Debian packages, after decoding HTML entities up to five times, then the same href clean-up as
//   KeycloakSanitizerMethod. Debian's sanitizer (20191001) is older than the one Keycloak 26 bundles.
//
// Request file (java.util.Properties, UTF-8): themeDir, parentDir, template, realmName, loginAction, locale (empty:
// the realm has internationalisation off, so no `locale` in the model and English), realmText.<key>=<text>,
// attribute.<name>=<string> (a form attribute a required action set).

import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.HTMLOutputFormat;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateScalarModel;
import freemarker.template.TemplateNumberModel;
import org.owasp.html.Encoding;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.PropertyResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class ThemeRenderer {

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ThemeRenderer <request.properties> <output.html>");
            System.exit(2);
        }
        Properties request = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            request.load(reader);
        }

        File themeDir = new File(required(request, "themeDir"));
        File parentDir = new File(required(request, "parentDir"));
        String localeTag = request.getProperty("locale", "");
        boolean internationalization = !localeTag.isEmpty();
        Locale locale = internationalization ? Locale.forLanguageTag(localeTag) : Locale.ENGLISH;

        Properties messages = new Properties();
        for (Locale l : internationalization && !locale.getLanguage().equals("en")
                ? List.of(Locale.ENGLISH, locale) : List.of(Locale.ENGLISH)) {
            readMessages(messages, new File(parentDir, "messages/messages_" + l + ".properties"));
            readMessages(messages, new File(themeDir, "messages/messages_" + l + ".properties"));
        }
        for (String key : request.stringPropertyNames()) {
            if (key.startsWith("realmText.")) {
                messages.setProperty(key.substring("realmText.".length()), request.getProperty(key));
            }
        }

        Properties themeProperties = new Properties();
        readProperties(themeProperties, new File(parentDir, "theme.properties"));
        readProperties(themeProperties, new File(themeDir, "theme.properties"));
        for (String name : themeProperties.stringPropertyNames()) {
            themeProperties.setProperty(name, replaceProperties(themeProperties.getProperty(name)));
        }

        Map<String, Object> realm = new HashMap<>();
        realm.put("name", required(request, "realmName"));
        realm.put("displayName", request.getProperty("realmDisplayName", required(request, "realmName")));
        realm.put("internationalizationEnabled", internationalization);

        Map<String, Object> url = new HashMap<>();
        url.put("loginAction", required(request, "loginAction"));
        url.put("resourcesPath", request.getProperty("resourcesPath", "/resources/login/idpbridge"));
        url.put("resourcesCommonPath", request.getProperty("resourcesCommonPath", "/resources/common/keycloak"));

        Map<String, Object> model = new HashMap<>();
        model.put("realm", realm);
        model.put("url", url);
        model.put("properties", themeProperties);
        model.put("msg", new MessageFormatter(locale, messages));
        model.put("kcSanitize", new Sanitizer());
        model.put("lang", locale.toLanguageTag());
        // What a required action adds with LoginFormsProvider.setAttribute (IdpBridge's extension: idpbridgeTerms*).
        for (String key : request.stringPropertyNames()) {
            if (key.startsWith("attribute.")) {
                model.put(key.substring("attribute.".length()), request.getProperty(key));
            }
        }
        if (internationalization) {
            Map<String, Object> localeBean = new HashMap<>();
            localeBean.put("currentLanguageTag", locale.toLanguageTag());
            localeBean.put("current", locale.getDisplayName(locale));
            localeBean.put("rtl", false);
            localeBean.put("supported", List.of());
            model.put("locale", localeBean);
        }

        Configuration cfg = new Configuration(Configuration.VERSION_2_3_0);
        cfg.setOutputFormat(HTMLOutputFormat.INSTANCE);
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setTemplateLoader(new MultiTemplateLoader(new TemplateLoader[] {
            new FileTemplateLoader(themeDir), new FileTemplateLoader(parentDir) }));
        Template template = cfg.getTemplate(required(request, "template"), "UTF-8");

        try (Writer out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
            template.process(model, out);
        }
    }

    private static String required(Properties request, String key) {
        String value = request.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("request has no " + key);
        }
        return value;
    }

    private static void readMessages(Properties into, File file) throws IOException {
        if (!file.isFile()) {
            return;
        }
        try (InputStream stream = Files.newInputStream(file.toPath())) {
            PropertyResourceBundle bundle = new PropertyResourceBundle(stream);
            for (Enumeration<String> keys = bundle.getKeys(); keys.hasMoreElements(); ) {
                String key = keys.nextElement();
                into.setProperty(key, bundle.getString(key));
            }
        }
    }

    private static void readProperties(Properties into, File file) throws IOException {
        readMessages(into, file);
    }

    // ${env.NAME}, ${env.NAME:default}, ${system.property}, ${system.property:default}; an unresolved reference
    // without a default is left as written (StringPropertyReplacer's behaviour).
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?\\}");

    static String replaceProperties(String value) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String resolved = name.startsWith("env.") ? System.getenv(name.substring(4)) : System.getProperty(name);
            if (resolved == null) {
                resolved = m.group(2) != null ? m.group(2) : m.group(0);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static final class MessageFormatter implements TemplateMethodModelEx {
        private final Locale locale;
        private final Properties messages;

        MessageFormatter(Locale locale, Properties messages) {
            this.locale = locale;
            this.messages = messages;
        }

        @Override
        public Object exec(@SuppressWarnings("rawtypes") List arguments) throws TemplateModelException {
            if (arguments.isEmpty()) {
                return null;
            }
            String key = asString(arguments.get(0));
            List<Object> rest = new ArrayList<>();
            for (Object argument : arguments.subList(1, arguments.size())) {
                rest.add(argument instanceof TemplateNumberModel n ? n.getAsNumber() : resolveVariables(asString(argument)));
            }
            String value = resolveVariables(messages.getProperty(key, key));
            return new MessageFormat(value, locale).format(rest.toArray());
        }

        private String resolveVariables(String text) {
            // TemplatingUtil.resolveVariables: ${key} -> the message with that key, or the key itself.
            StringBuilder sb = new StringBuilder();
            int end = 0;
            int start = text.indexOf("${");
            while (start != -1) {
                sb.append(text, end, start);
                int close = text.indexOf('}', start + 2);
                if (close == -1) {
                    break;
                }
                String name = text.substring(start + 2, close);
                sb.append(messages.getProperty(name, name));
                end = close + 1;
                start = text.indexOf("${", end);
            }
            if (start != -1) {
                end = start;
            }
            sb.append(text.substring(end));
            return sb.toString();
        }

        private static String asString(Object argument) throws TemplateModelException {
            return argument instanceof TemplateScalarModel s ? s.getAsString() : String.valueOf(argument);
        }
    }

    static final class Sanitizer implements TemplateMethodModelEx {
        private static final Pattern HREF = Pattern.compile("\\s+href=\"([^\"]*)\"");

        @Override
        public Object exec(@SuppressWarnings("rawtypes") List arguments) throws TemplateModelException {
            if (arguments.isEmpty() || arguments.get(0) == null) {
                throw new NullPointerException("Can not escape null value.");
            }
            Object first = arguments.get(0);
            String html = first instanceof TemplateScalarModel s ? s.getAsString() : first.toString();
            return fixUrls(KeycloakPolicy.POLICY.sanitize(decodeFully(html)));
        }

        // Entities decoded until stable (at most five rounds; text still changing after that is dropped whole), so a
        // double-encoded &amp;lt;script&amp;gt; cannot come out as a tag after the browser decodes it.
        private static String decodeFully(String html) {
            for (int i = 0; i < 5; i++) {
                String decoded = Encoding.decodeHtml(html);
                if (decoded.equals(html)) {
                    return html;
                }
                html = decoded;
            }
            return "";
        }

        private static String fixUrls(String sanitized) {
            Matcher m = HREF.matcher(sanitized);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String href = m.group(1).replace("&#61;", "=").replace("..", ".").replace("&amp;", "&");
                m.appendReplacement(sb, Matcher.quoteReplacement(m.group(0).replace(m.group(1), href)));
            }
            m.appendTail(sb);
            return sb.toString();
        }
    }

    /** Keycloak's allow-list (KeycloakSanitizerPolicy, itself based on the OWASP eBay example), restated. */
    static final class KeycloakPolicy {
        private static final String COLOR = "(?:aqua|black|blue|fuchsia|gray|grey|green|lime|maroon|navy|olive|purple"
            + "|red|silver|teal|white|yellow)|(?:#(?:[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?))";
        private static final Pattern COLOR_NAME_OR_CODE = Pattern.compile(COLOR);
        private static final Pattern NUMBER_OR_PERCENT = Pattern.compile("[0-9]+%?");
        private static final Pattern PARAGRAPH = Pattern.compile("(?:[\\p{L}\\p{N},'\\.\\s\\-_\\(\\)]|&[0-9]{2};)*");
        private static final Pattern HTML_ID = Pattern.compile("[a-zA-Z0-9\\:\\-_\\.]+");
        private static final Pattern HTML_TITLE = Pattern.compile("[\\p{L}\\p{N}\\s\\-_',:\\[\\]!\\./\\\\\\(\\)&]*");
        private static final Pattern HTML_CLASS = Pattern.compile("[a-zA-Z0-9\\s,\\-_]+");
        private static final String ONSITE = "(?:[\\p{L}\\p{N}\\\\\\.\\#@\\$%\\+&;\\-_~,\\?=/!]+|\\#(\\w)+)";
        private static final String OFFSITE = "\\s*(?:(?:ht|f)tps?://|mailto:)[\\p{L}\\p{N}]"
            + "[\\p{L}\\p{N}\\p{Zs}\\.\\#@\\$%\\+&;:\\-_~,\\?=/!\\(\\)]*+\\s*";
        private static final Pattern ONSITE_URL = Pattern.compile(ONSITE);
        private static final Pattern ONSITE_OR_OFFSITE_URL = Pattern.compile("(?:" + ONSITE + ")|(?:" + OFFSITE + ")");
        private static final Pattern NUMBER = Pattern.compile("[+-]?(?:(?:[0-9]+(?:\\.[0-9]*)?)|\\.[0-9]+)");
        private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9\\-_\\$]+");
        private static final Pattern ALIGN = Pattern.compile("(?i)center|left|right|justify|char");
        private static final Pattern VALIGN = Pattern.compile("(?i)baseline|bottom|middle|top");

        static final PolicyFactory POLICY = new HtmlPolicyBuilder()
            .allowWithoutAttributes("span")
            .allowAttributes("id").matching(HTML_ID).globally()
            .allowAttributes("class").matching(HTML_CLASS).globally()
            .allowAttributes("lang").matching(Pattern.compile("[a-zA-Z]{2,20}")).globally()
            .allowAttributes("title").matching(HTML_TITLE).globally()
            .allowStyling()
            .allowAttributes("align").matching(ALIGN).onElements("p")
            .allowAttributes("for").matching(HTML_ID).onElements("label")
            .allowAttributes("color").matching(COLOR_NAME_OR_CODE).onElements("font")
            .allowAttributes("face").matching(Pattern.compile("[\\w;, \\-]+")).onElements("font")
            .allowAttributes("size").matching(NUMBER).onElements("font")
            .allowAttributes("href").matching(ONSITE_OR_OFFSITE_URL).onElements("a")
            .allowStandardUrlProtocols()
            .allowAttributes("nohref").onElements("a")
            .allowAttributes("name").matching(NAME).onElements("a")
            .allowAttributes("target").matching(Pattern.compile("_blank")).onElements("a")
            .allowAttributes("onfocus", "onblur", "onclick", "onmousedown", "onmouseup")
                .matching(Pattern.compile("(?:javascript:)?\\Qhistory.go(-1)\\E")).onElements("a")
            .requireRelNofollowOnLinks()
            .allowAttributes("src").matching(ONSITE_OR_OFFSITE_URL).onElements("img")
            .allowAttributes("name").matching(NAME).onElements("img")
            .allowAttributes("alt").matching(PARAGRAPH).onElements("img")
            .allowAttributes("border", "hspace", "vspace").matching(NUMBER).onElements("img")
            .allowAttributes("border", "cellpadding", "cellspacing").matching(NUMBER).onElements("table")
            .allowAttributes("bgcolor").matching(COLOR_NAME_OR_CODE).onElements("table")
            .allowAttributes("background").matching(ONSITE_URL).onElements("table")
            .allowAttributes("align").matching(ALIGN).onElements("table")
            .allowAttributes("noresize").matching(Pattern.compile("(?i)noresize")).onElements("table")
            .allowAttributes("background").matching(ONSITE_URL).onElements("td", "th", "tr")
            .allowAttributes("bgcolor").matching(COLOR_NAME_OR_CODE).onElements("td", "th")
            .allowAttributes("abbr").matching(PARAGRAPH).onElements("td", "th")
            .allowAttributes("axis", "headers").matching(NAME).onElements("td", "th")
            .allowAttributes("scope").matching(Pattern.compile("(?i)(?:row|col)(?:group)?")).onElements("td", "th")
            .allowAttributes("nowrap").onElements("td", "th")
            .allowAttributes("height", "width").matching(NUMBER_OR_PERCENT).onElements("table", "td", "th", "tr", "img")
            .allowAttributes("align").matching(ALIGN)
                .onElements("thead", "tbody", "tfoot", "img", "td", "th", "tr", "colgroup", "col")
            .allowAttributes("valign").matching(VALIGN)
                .onElements("thead", "tbody", "tfoot", "td", "th", "tr", "colgroup", "col")
            .allowAttributes("charoff").matching(NUMBER_OR_PERCENT)
                .onElements("td", "th", "tr", "colgroup", "col", "thead", "tbody", "tfoot")
            .allowAttributes("char").matching(Pattern.compile(".?", Pattern.DOTALL))
                .onElements("td", "th", "tr", "colgroup", "col", "thead", "tbody", "tfoot")
            .allowAttributes("colspan", "rowspan").matching(NUMBER).onElements("td", "th")
            .allowAttributes("span", "width").matching(NUMBER_OR_PERCENT).onElements("colgroup", "col")
            .allowElements(
                "a", "label", "noscript", "h1", "h2", "h3", "h4", "h5", "h6",
                "p", "i", "b", "u", "strong", "em", "small", "big", "pre", "code",
                "cite", "samp", "sub", "sup", "strike", "center", "blockquote",
                "hr", "br", "col", "font", "map", "span", "div", "img",
                "ul", "ol", "li", "dd", "dt", "dl", "tbody", "thead", "tfoot",
                "table", "td", "th", "tr", "colgroup", "fieldset", "legend")
            .toFactory();
    }
}
