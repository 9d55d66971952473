namespace IdpBridge.Keycloak.Http;

/// <summary>
/// Marks a write as safe to repeat. Reads are always retried on transient failures; a write is retried only when
/// the call site marks it, which it does where repeating the request leaves the same state as sending it once
/// (a PUT that replaces a whole object or set with the same value, a POST that only adds or updates keys).
/// Creates (POST that makes a new resource) are never retried: a lost 201 would make a duplicate or a 409.
/// </summary>
internal static class RetrySafety
{
    public static readonly HttpRequestOptionsKey<bool> Key = new("IdpBridge.Keycloak.RetrySafe");

    public static bool IsRetrySafe(HttpRequestMessage? request)
    {
        if (request is null)
        {
            return false;
        }

        if (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options)
        {
            return true;
        }

        return request.Options.TryGetValue(Key, out var safe) && safe;
    }

    public static HttpRequestMessage MarkRetrySafe(this HttpRequestMessage request)
    {
        request.Options.Set(Key, true);
        return request;
    }
}
