using System.Text.Json;
using System.Text.Json.Serialization;
using IdpBridge.Cli.Doctor;
using IdpBridge.Cli.Realms;
using IdpBridge.Core.Ledger;
using IdpBridge.Core.Ledger.Integrity;
using IdpBridge.Core.Policies;
using IdpBridge.Core.Rollouts;

namespace IdpBridge.Cli;

/// <summary>
/// The generated serializers of every document a command writes with <c>--output json</c> (docs/cli-json.md), and of
/// the values an audit result's facts hold (strings, numbers, booleans, lists of strings, maps of counts).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RolloutRefusalFacts))]
[JsonSerializable(typeof(RolloutStatusReport))]
[JsonSerializable(typeof(RolloutRetryReport))]
[JsonSerializable(typeof(RolloutExemptionReport))]
[JsonSerializable(typeof(BridgeDeliveryReport))]
[JsonSerializable(typeof(PolicyPublishReport))]
[JsonSerializable(typeof(IEnumerable<PolicyVersionSummary>))]
[JsonSerializable(typeof(PolicyVersion))]
[JsonSerializable(typeof(LedgerSyncResult))]
[JsonSerializable(typeof(LedgerVerification))]
[JsonSerializable(typeof(VersionReport))]
[JsonSerializable(typeof(DoctorJson))]
[JsonSerializable(typeof(AuditJson))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, int>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
