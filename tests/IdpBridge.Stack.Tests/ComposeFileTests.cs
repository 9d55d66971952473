using IdpBridge.Service.AdminApi;
using System.Reflection;
using System.Text.RegularExpressions;
using IdpBridge.Keycloak;
using YamlDotNet.RepresentationModel;

namespace IdpBridge.Stack.Tests;

public sealed partial class ComposeFileTests
{
    private static readonly string[] ExpectedServices = ["postgres", "mailpit", "keycloak", "idpbridge-provision", "idpbridge-publish", "idpbridge-demo", "idpbridge"];

    [Test]
    public void Load_ComposeFile_ParsesWithTheDemosServices()
    {
        var compose = Compose.Load();

        Assert.That(compose.Services.Keys, Is.EquivalentTo(ExpectedServices));
    }

    [Test]
    public void Images_PulledFromRegistries_ArePinnedToExactVersionTags()
    {
        var compose = Compose.Load();

        Assert.Multiple(() =>
        {
            foreach (var (name, service) in compose.Services)
            {
                var image = Compose.ScalarOrNull(service, "image");
                Assert.That(image, Is.Not.Null.And.Not.Empty, $"service {name} names its image");
                var tag = TagOf(image!);
                if (Compose.Get(service, "build") is null)
                {
                    // An exact release: major.minor at least (postgres 17.10), major.minor.patch for the others (mailpit
                    // writes v1.22.3); never `latest` nor a bare major line that moves under the stack.
                    Assert.That(tag, Does.Match(@"^v?\d+\.\d+(\.\d+)?$"), $"service {name}: image {image} is pinned");
                }
                else
                {
                    Assert.That(tag, Is.Not.Null.And.Not.EqualTo("latest"), $"service {name}: the built image has its own tag");
                }
            }
        });
    }

    [Test]
    public void Images_KeycloakAndPostgres_AreTheSupportedLines()
    {
        var compose = Compose.Load();

        Assert.Multiple(() =>
        {
            Assert.That(Compose.ScalarOrNull(compose.Service("keycloak"), "image"), Does.Match(@"^quay\.io/keycloak/keycloak:26\.\d+\.\d+$"));
            Assert.That(Compose.ScalarOrNull(compose.Service("postgres"), "image"), Does.Match(@"^postgres:17\.\d+$"));
        });
    }

    [Test]
    public void Volumes_HostPaths_ExistInTheRepository_AndNamedVolumesAreDeclared()
    {
        var compose = Compose.Load();
        var declared = Compose.Get(compose.Root, "volumes") is YamlMappingNode top
            ? top.Children.Keys.Select(Compose.Scalar).ToHashSet()
            : [];

        Assert.Multiple(() =>
        {
            foreach (var (name, service) in compose.Services)
            {
                foreach (var volume in Compose.Volumes(service))
                {
                    var source = volume.Split(':')[0];
                    if (source.StartsWith("./keycloak-extension/build/", StringComparison.Ordinal))
                    {
                        // Built, not committed: the path the extension's build writes (checked in ComposeDemoTests).
                        continue;
                    }

                    if (source.StartsWith('.'))
                    {
                        Assert.That(Path.Exists(RepoFiles.PathOf(source)), Is.True, $"service {name} mounts {source}, which exists");
                    }
                    else
                    {
                        Assert.That(declared, Does.Contain(source), $"service {name}: named volume {source} is declared");
                    }
                }
            }
        });
    }

    [Test]
    public void Environment_IdpBridgeSettings_EachNameARealOptionsProperty()
    {
        var compose = Compose.Load();
        // Every options class IdpBridge binds, by its configuration section.
        var sections = new[]
            {
                (KeycloakOptions.SectionName, typeof(KeycloakOptions)),
                (AdminApiOptions.SectionName, typeof(AdminApiOptions)),
                (IdpBridge.Core.Storage.IdpBridgeStorageOptions.SectionName, typeof(IdpBridge.Core.Storage.IdpBridgeStorageOptions)),
                (IdpBridge.Core.Policies.PolicyOptions.SectionName, typeof(IdpBridge.Core.Policies.PolicyOptions)),
                (IdpBridge.Core.Rollouts.RolloutOptions.SectionName, typeof(IdpBridge.Core.Rollouts.RolloutOptions)),
                (IdpBridge.Core.Ledger.LedgerOptions.SectionName, typeof(IdpBridge.Core.Ledger.LedgerOptions)),
                (IdpBridge.Core.Realms.ProvisioningOptions.SectionName, typeof(IdpBridge.Core.Realms.ProvisioningOptions)),
            }
            .ToDictionary(
                pair => pair.Item1.Replace(":", "__", StringComparison.Ordinal),
                pair => pair.Item2.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanWrite).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase));
        var names = compose.Services.Values.SelectMany(s => Compose.Environment(s).Keys)
            .Where(n => n.StartsWith("IdpBridge__", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.That(names, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var name in names)
            {
                var section = name[..name.LastIndexOf("__", StringComparison.Ordinal)];
                Assert.That(sections.Keys, Does.Contain(section), $"{name} is in a section IdpBridge binds");
                if (sections.TryGetValue(section, out var properties))
                {
                    Assert.That(properties, Does.Contain(name[(name.LastIndexOf("__", StringComparison.Ordinal) + 2)..]), $"{name} binds to a property of that section's options");
                }
            }
        });
    }

    [Test]
    public void Provision_WaitsForHealthyKeycloak_AndAppliesTheDemoRealmWithoutPrompting()
    {
        var provision = Compose.Load().Service("idpbridge-provision");
        var command = Compose.Arguments(Compose.Get(provision, "command")!);
        var env = Compose.Environment(provision);

        Assert.Multiple(() =>
        {
            Assert.That(DependsOnCondition(provision, "keycloak"), Is.EqualTo("service_healthy"));
            Assert.That(command.Take(3), Is.EqualTo(new[] { "realm", "apply", "--auto-approve" }));
            Assert.That(command[^1], Is.EqualTo("/config/externos"));
            Assert.That(Compose.Volumes(provision), Does.Contain("./realm-config:/config:ro"));
            // /config/externos inside the container is realm-config/externos here.
            Assert.That(File.Exists(RepoFiles.PathOf("realm-config/externos/realm.json")), Is.True);
            Assert.That(Compose.ScalarOrNull(provision, "restart"), Is.EqualTo("no"));
            Assert.That(env["IdpBridge__Keycloak__Url"], Is.EqualTo("http://keycloak:8080"));
            Assert.That(env["IdpBridge__Keycloak__Realm"], Is.EqualTo("master"));
        });
    }

    [Test]
    public void Provision_UsesTheBootstrapAdminClientThatKeycloakCreates()
    {
        var compose = Compose.Load();
        var keycloak = Compose.Environment(compose.Service("keycloak"));
        var provision = Compose.Environment(compose.Service("idpbridge-provision"));

        Assert.Multiple(() =>
        {
            Assert.That(provision["IdpBridge__Keycloak__ClientId"], Is.EqualTo(keycloak["KC_BOOTSTRAP_ADMIN_CLIENT_ID"]));
            Assert.That(provision["IdpBridge__Keycloak__ClientSecret"], Is.EqualTo(keycloak["KC_BOOTSTRAP_ADMIN_CLIENT_SECRET"]));
            Assert.That(keycloak, Does.ContainKey("KC_BOOTSTRAP_ADMIN_USERNAME"));
            Assert.That(keycloak, Does.ContainKey("KC_BOOTSTRAP_ADMIN_PASSWORD"));
        });
    }

    [Test]
    public void Provision_PassesEveryEnvReferenceOfTheRealmFile()
    {
        var provision = Compose.Environment(Compose.Load().Service("idpbridge-provision"));
        var references = EnvReference().Matches(RepoFiles.Read(RealmConfigTests.RealmFile))
            .Select(m => m.Groups["name"].Value)
            .Distinct()
            .ToList();

        Assert.That(references, Is.Not.Empty);
        Assert.That(provision.Keys, Is.SupersetOf(references));
    }

    [Test]
    public void Keycloak_OnPostgres_WithHealthOnTheManagementPort_AndTheThemeMounted()
    {
        var keycloak = Compose.Load().Service("keycloak");
        var env = Compose.Environment(keycloak);
        var healthcheck = Compose.Mapping(keycloak, "healthcheck");
        var test = string.Join(' ', Compose.Arguments(Compose.Get(healthcheck, "test")!));

        Assert.Multiple(() =>
        {
            Assert.That(Compose.Arguments(Compose.Get(keycloak, "command")!), Is.EqualTo(new[] { "start-dev" }));
            Assert.That(env["KC_DB"], Is.EqualTo("postgres"));
            Assert.That(env["KC_DB_URL"], Does.StartWith("jdbc:postgresql://postgres:5432/"));
            Assert.That(env["KC_HEALTH_ENABLED"], Is.EqualTo("true"));
            Assert.That(test, Does.Contain("/dev/tcp/127.0.0.1/9000").And.Contain("GET /health/ready"));
            Assert.That(test, Does.Not.Contain("curl"), "the Keycloak image has no curl");
            Assert.That(Compose.Volumes(keycloak), Does.Contain("./keycloak-theme/idpbridge:/opt/keycloak/themes/idpbridge:ro"));
            Assert.That(DependsOnCondition(keycloak, "postgres"), Is.EqualTo("service_healthy"));
            Assert.That(Compose.Arguments(Compose.Get(keycloak, "ports")!), Does.Contain("127.0.0.1:8080:8080"));
        });
    }

    [Test]
    public void Postgres_HasAVolumeAndAPgIsReadyHealthcheck()
    {
        var postgres = Compose.Load().Service("postgres");
        var test = string.Join(' ', Compose.Arguments(Compose.Get(Compose.Mapping(postgres, "healthcheck"), "test")!));

        Assert.Multiple(() =>
        {
            Assert.That(test, Does.Contain("pg_isready"));
            Assert.That(Compose.Volumes(postgres), Has.Some.EndsWith(":/var/lib/postgresql/data"));
        });
    }

    [Test]
    public void Service_RunsAfterProvisioning_WithTheRealmsOwnClient_AndAnHttpHealthcheck()
    {
        var compose = Compose.Load();
        var service = compose.Service("idpbridge");
        var env = Compose.Environment(service);
        var provisionEnv = Compose.Environment(compose.Service("idpbridge-provision"));
        var test = string.Join(' ', Compose.Arguments(Compose.Get(Compose.Mapping(service, "healthcheck"), "test")!));

        Assert.Multiple(() =>
        {
            Assert.That(Compose.Arguments(Compose.Get(service, "entrypoint")!),
                Is.EqualTo(new[] { "dotnet", "/app/service/IdpBridge.Service.dll" }));
            Assert.That(DependsOnCondition(service, "idpbridge-provision"), Is.EqualTo("service_completed_successfully"));
            Assert.That(env["IdpBridge__Keycloak__Realm"], Is.EqualTo("externos"));
            Assert.That(env["IdpBridge__Keycloak__ClientId"], Is.EqualTo("idpbridge"));
            // The secret the service presents is the one provisioning gave the client.
            Assert.That(env["IdpBridge__Keycloak__ClientSecret"], Is.EqualTo(provisionEnv["IDPBRIDGE_CLIENT_SECRET"]));
            Assert.That(test, Does.Contain("GET /health/live"));
            Assert.That(Compose.Arguments(Compose.Get(service, "ports")!), Does.Contain("127.0.0.1:8081:8080"));
            Assert.That(Compose.ScalarOrNull(service, "image"),
                Is.EqualTo(Compose.ScalarOrNull(compose.Service("idpbridge-provision"), "image")));
        });
    }

    [Test]
    public void Variables_EveryOneComposeReads_IsListedInEnvExample_WithTheSameDefault()
    {
        var compose = RepoFiles.Read(Compose.FileName);
        var example = EnvExample.Load();
        var uses = ComposeVariable().Matches(compose).ToList();

        Assert.That(uses, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var use in uses)
            {
                var name = use.Groups["name"].Value;
                Assert.That(example, Does.ContainKey(name), $"{name} is listed in .env.example");
                if (use.Groups["default"].Success && example.TryGetValue(name, out var value))
                {
                    Assert.That(use.Groups["default"].Value, Is.EqualTo(value), $"{name}: Compose's fallback is .env.example's value");
                }
            }
        });
    }

    [Test]
    public void Variables_EnvExample_ListsOnlyWhatComposeReads()
    {
        var read = ComposeVariable().Matches(RepoFiles.Read(Compose.FileName)).Select(m => m.Groups["name"].Value).ToHashSet();

        Assert.That(EnvExample.Load().Keys, Is.SubsetOf(read));
    }

    private static string? DependsOnCondition(YamlMappingNode service, string dependency)
    {
        var dependsOn = Compose.Mapping(service, "depends_on");
        return Compose.Get(dependsOn, dependency) is YamlMappingNode d ? Compose.ScalarOrNull(d, "condition") : null;
    }

    private static string? TagOf(string image)
    {
        var name = image.Split('@')[0];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[(colon + 1)..] : null;
    }

    // ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}; $${...} is an escaped literal for the container's shell.
    [GeneratedRegex(@"(?<!\$)\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?::?-(?<default>[^}]*))|(?::?\?(?<required>[^}]*)))?\}")]
    internal static partial Regex ComposeVariable();

    [GeneratedRegex(@"\$\{env:(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex EnvReference();
}
