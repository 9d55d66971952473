using System.Text.RegularExpressions;
using IdpBridge.Testing.RealKeycloak;
using YamlDotNet.RepresentationModel;

namespace IdpBridge.Stack.Tests;

/// <summary>
/// The compose stack runs the same demo as scripts/try-it.sh, safely: the Keycloak the tests run, ports on 127.0.0.1
/// only, no secret with a default, a mail catcher the realm sends to, the bridge's jar in Keycloak's providers, one
/// issuer for browsers, tokens and the service, and the demo's steps (v1 published, the people created).
/// </summary>
public sealed partial class ComposeDemoTests
{
    private const string JarInKeycloak = "/opt/keycloak/providers/idpbridge-keycloak-extension.jar";

    [Test]
    public void Keycloak_Image_IsTheVersionOfTheDistributionTheTestsRun()
    {
        var zip = Path.GetFileName(RealKeycloak.ZipPath());
        var version = DistributionVersion().Match(zip);

        Assert.That(version.Success, Is.True, $"{zip} names its version");
        Assert.That(Compose.ScalarOrNull(Compose.Load().Service("keycloak"), "image"), Is.EqualTo($"quay.io/keycloak/keycloak:{version.Groups[1].Value}"));
    }

    [Test]
    public void Ports_EveryPublishedOne_IsBoundTo127001()
    {
        var published = Compose.Load().Services
            .SelectMany(service => Compose.Get(service.Value, "ports") is { } ports
                ? Compose.Arguments(ports).Select(port => (Service: service.Key, Port: port))
                : [])
            .ToList();

        Assert.That(published.Select(p => p.Service), Is.SupersetOf(new[] { "keycloak", "idpbridge", "mailpit" }));
        Assert.Multiple(() =>
        {
            foreach (var (service, port) in published)
            {
                Assert.That(port, Does.Match(@"^127\.0\.0\.1:\d+:\d+$"), $"service {service} publishes {port} on loopback only");
            }
        });
    }

    [Test]
    public void Secrets_EveryPasswordAndSecretComposeReads_IsRequiredWithAMessage_AndHasNoDefault()
    {
        var uses = ComposeFileTests.ComposeVariable().Matches(RepoFiles.Read(Compose.FileName))
            .Where(use => SecretName().IsMatch(use.Groups["name"].Value))
            .ToList();

        Assert.That(uses.Select(use => use.Groups["name"].Value).Distinct(), Is.SupersetOf(new[]
        {
            "POSTGRES_PASSWORD", "KC_BOOTSTRAP_ADMIN_PASSWORD", "KC_BOOTSTRAP_ADMIN_CLIENT_SECRET", "IDPBRIDGE_CLIENT_SECRET",
            "IDPBRIDGE_SECRET_HASH_KEY",
        }));
        Assert.Multiple(() =>
        {
            foreach (var use in uses)
            {
                Assert.That(use.Groups["default"].Success, Is.False, $"{use.Value} has no default");
                Assert.That(use.Groups["required"].Value, Does.Contain(".env"), $"{use.Value} refuses to start and says where to set it");
            }
        });
    }

    [Test]
    public void Secrets_EnvExample_HoldsNoStackSecret()
    {
        var example = EnvExample.Load();
        var secrets = example.Where(setting => SecretName().IsMatch(setting.Key)).ToList();

        Assert.That(secrets, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (name, value) in secrets)
            {
                // Empty: scripts/compose-env.sh generates it. replace-me: an external IdP's placeholder, which opens nothing.
                Assert.That(value, Is.Empty.Or.EqualTo("replace-me"), $"{name} in .env.example");
            }
        });
    }

    [Test]
    public void ComposeEnvScript_GeneratesEveryEmptySecret_ReadableByTheOwnerOnly()
    {
        var script = RepoFiles.Read("scripts/compose-env.sh");
        var empty = EnvExample.Load().Where(setting => SecretName().IsMatch(setting.Key) && setting.Value.Length == 0).Select(setting => setting.Key).ToList();
        var generated = new Regex(GeneratedLine().Match(script).Groups[1].Value);

        Assert.Multiple(() =>
        {
            Assert.That(script, Does.Contain("umask 077"));
            Assert.That(script, Does.Contain("/dev/urandom"));
            Assert.That(empty, Is.Not.Empty);
            Assert.That(empty.Where(name => !generated.IsMatch(name + "=")), Is.Empty, "every empty secret is generated");
        });
    }

    [Test]
    public void MailCatcher_PinnedWithItsPageOnLoopback_AndTheRealmSendsToIt()
    {
        var compose = Compose.Load();
        var mailpit = compose.Service("mailpit");
        var provision = Compose.Environment(compose.Service("idpbridge-provision"));
        var smtp = RepoFiles.ReadJsonObject(RealmConfigTests.RealmFile)["smtpServer"]!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That(Compose.ScalarOrNull(mailpit, "image"), Does.Match(@"^axllent/mailpit:v\d+\.\d+\.\d+$"));
            Assert.That(Compose.Arguments(Compose.Get(mailpit, "ports")!), Is.EqualTo(new[] { "127.0.0.1:8025:8025" }), "its web page; SMTP stays inside the stack");
            Assert.That(smtp["host"]!.GetValue<string>(), Does.StartWith("${env:SMTP_HOST"));
            Assert.That(smtp["port"]!.GetValue<string>(), Does.StartWith("${env:SMTP_PORT"));
            Assert.That(smtp["auth"]!.GetValue<string>(), Is.EqualTo("false"));
            Assert.That(provision["SMTP_HOST"], Is.EqualTo("mailpit"));
            Assert.That(provision["SMTP_PORT"], Is.EqualTo("1025"), "mailpit's SMTP port");
            Assert.That(DependsOn(compose.Service("keycloak")), Does.Contain("mailpit"));
        });
    }

    [Test]
    public void Keycloak_MountsTheBridgesJar_WhereTheExtensionsBuildWritesIt()
    {
        var volumes = Compose.Volumes(Compose.Load().Service("keycloak"));
        var jar = volumes.Select(volume => volume.Split(':')).SingleOrDefault(parts => parts.Length > 1 && parts[1] == JarInKeycloak);
        var build = RepoFiles.Read("scripts/build-extension.sh");

        Assert.That(jar, Is.Not.Null, $"Keycloak mounts the jar at {JarInKeycloak}: {string.Join(", ", volumes)}");
        Assert.Multiple(() =>
        {
            Assert.That(jar![0], Is.EqualTo("./keycloak-extension/build/idpbridge-keycloak-extension.jar"));
            Assert.That(build, Does.Contain("--file \"$build/idpbridge-keycloak-extension.jar\"").And.Contain("build=\"$extension/build\""),
                "scripts/build-extension.sh writes the jar that compose mounts");
            Assert.That(jar[^1], Is.EqualTo("ro"));
        });
    }

    [Test]
    public void Hostname_BrowsersTokensAndTheServiceAgreeOnTheIssuer()
    {
        var compose = Compose.Load();
        var keycloak = Compose.Environment(compose.Service("keycloak"));
        var service = Compose.Environment(compose.Service("idpbridge"));
        var hostname = new Uri(keycloak["KC_HOSTNAME"]);

        Assert.Multiple(() =>
        {
            Assert.That(hostname.Host, Is.EqualTo("localhost"), "the address browsers use");
            Assert.That(Compose.Arguments(Compose.Get(compose.Service("keycloak"), "ports")!), Does.Contain($"127.0.0.1:{hostname.Port}:8080"));
            Assert.That(keycloak["KC_HOSTNAME_BACKCHANNEL_DYNAMIC"], Is.EqualTo("true"), "the service reaches the token and key endpoints at keycloak:8080");
            Assert.That(service["IdpBridge__AdminApi__ValidIssuer"], Is.EqualTo($"{hostname.ToString().TrimEnd('/')}/realms/{service["IdpBridge__AdminApi__Realm"]}"));
            Assert.That(service["IdpBridge__Keycloak__Url"], Is.EqualTo("http://keycloak:8080"));
        });
    }

    [Test]
    public void Demo_PublishesV1ThenCreatesThePeople_BeforeTheServiceStarts()
    {
        var compose = Compose.Load();
        var publish = compose.Service("idpbridge-publish");
        var demo = compose.Service("idpbridge-demo");
        var command = Compose.Arguments(Compose.Get(publish, "command")!);
        var service = compose.Service("idpbridge");

        Assert.Multiple(() =>
        {
            Assert.That(command.Take(2), Is.EqualTo(new[] { "policy", "publish" }));
            foreach (var file in command.Where(argument => argument.StartsWith("/config/", StringComparison.Ordinal)))
            {
                Assert.That(File.Exists(RepoFiles.PathOf("realm-config/" + file["/config/".Length..])), Is.True, $"{file} is in realm-config/");
            }

            Assert.That(command, Does.Contain("/config/externos/policies/privacy/v1/es.md"));
            Assert.That(Compose.Arguments(Compose.Get(demo, "entrypoint")!), Is.EqualTo(new[] { "dotnet", "/app/try-it/idpbridge-try-it.dll" }));
            Assert.That(Compose.Arguments(Compose.Get(demo, "command")!), Is.EqualTo(new[] { "people", "--realm", "externos" }));
            Assert.That(RepoFiles.Read("Dockerfile"), Does.Contain("COPY --from=build /out/try-it /app/try-it"));
            Assert.That(DependsOn(publish), Does.Contain("idpbridge-provision"));
            Assert.That(DependsOn(demo), Does.Contain("idpbridge-publish"));
            Assert.That(DependsOn(service), Does.Contain("idpbridge-publish"));
            Assert.That(Compose.Environment(service)["IdpBridge__AdminApi__PageClientId"], Is.Not.Empty, "the admin page signs browsers in");
        });
    }

    private static IEnumerable<string> DependsOn(YamlMappingNode service) =>
        Compose.Get(service, "depends_on") is YamlMappingNode dependsOn ? dependsOn.Children.Keys.Select(Compose.Scalar) : [];

    [GeneratedRegex(@"keycloak-quarkus-dist-(\d+\.\d+\.\d+)\.zip$")]
    private static partial Regex DistributionVersion();

    [GeneratedRegex("(PASSWORD|SECRET|KEY)$")]
    private static partial Regex SecretName();

    // The pattern of the names compose-env.sh generates a value for: [[ "$line" =~ ^(...)=$ ]].
    [GeneratedRegex(@"=~ \^(\(.*\))=\$ \]\]")]
    private static partial Regex GeneratedLine();
}
