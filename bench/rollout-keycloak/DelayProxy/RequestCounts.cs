namespace DelayProxy;

/// <summary>Requests forwarded so far, by method (the proxy's own stats requests are not counted).</summary>
internal sealed class RequestCounts
{
    private long get;
    private long put;
    private long post;
    private long other;

    public void Add(string method)
    {
        if (HttpMethods.IsGet(method))
        {
            Interlocked.Increment(ref get);
        }
        else if (HttpMethods.IsPut(method))
        {
            Interlocked.Increment(ref put);
        }
        else if (HttpMethods.IsPost(method))
        {
            Interlocked.Increment(ref post);
        }
        else
        {
            Interlocked.Increment(ref other);
        }
    }

    /// <summary>One line, e.g. <c>GET=10 PUT=5 POST=1 OTHER=0</c>.</summary>
    public override string ToString() =>
        $"GET={Interlocked.Read(ref get)} PUT={Interlocked.Read(ref put)} POST={Interlocked.Read(ref post)} OTHER={Interlocked.Read(ref other)}";
}
