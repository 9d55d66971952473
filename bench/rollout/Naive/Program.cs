using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

// The naive rollout, for comparison: list a page, then for each user GET it and PUT its required actions plus
// TERMS_AND_CONDITIONS, one request after another. Usage: Naive <keycloak-url> <client-id> <secret> <realm> <users>
// Prints one line: "naive <users> users in <seconds> s = <users/s> users/s, <requests> requests, <ms> ms per request":
// the last figure is the server's latency as a client sees it, one request at a time (the benchmark's ideal uses it).
if (args.Length != 5)
{
    await Console.Error.WriteLineAsync("usage: Naive <keycloak-url> <client-id> <secret> <realm> <users>");
    return 64;
}

var (url, clientId, secret, realm, limit) = (args[0].TrimEnd('/'), args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture));
using var http = new HttpClient();
using var tokenResponse = await http.PostAsync(
    new Uri($"{url}/realms/master/protocol/openid-connect/token"),
    new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = clientId,
        ["client_secret"] = secret,
    }));
tokenResponse.EnsureSuccessStatusCode();
var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

var clock = Stopwatch.StartNew();
var done = 0;
var requests = 0;
for (var first = 0; done < limit; first += 100)
{
    var page = (await http.GetFromJsonAsync<JsonArray>(new Uri($"{url}/admin/realms/{realm}/users?first={first}&max=100&briefRepresentation=true")))!;
    requests++;
    if (page.Count == 0)
    {
        break;
    }

    foreach (var listed in page)
    {
        var id = listed!["id"]!.GetValue<string>();
        var user = (await http.GetFromJsonAsync<JsonObject>(new Uri($"{url}/admin/realms/{realm}/users/{id}")))!;
        requests++;
        var actions = user["requiredActions"]?.AsArray().Select(action => action!.GetValue<string>()).ToList() ?? [];
        if (!actions.Contains("TERMS_AND_CONDITIONS"))
        {
            actions.Add("TERMS_AND_CONDITIONS");
            using var put = await http.PutAsJsonAsync(new Uri($"{url}/admin/realms/{realm}/users/{id}"), new { requiredActions = actions });
            put.EnsureSuccessStatusCode();
            requests++;
        }

        if (++done == limit)
        {
            break;
        }
    }
}

var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"naive {done} users in {seconds:F1} s = {done / seconds:F1} users/s, {requests} requests, {seconds * 1000 / requests:F2} ms per request"));
return 0;
