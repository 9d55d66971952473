using IdpBridge.Keycloak;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace IdpBridge.Cli;

/// <summary>
/// Says on standard error what is being tried when Keycloak's first answer is slow to come
/// (<c>Connecting to https://sso.example.org (realm master) ...</c>), so a host that drops packets is never a long
/// silence. A quick answer, or a quick refusal, prints nothing: a refusal is reported as its own error line.
/// </summary>
internal sealed class CliConnectionNotice(TextWriter error, TimeSpan noticeAfter, IOptions<KeycloakOptions> keycloak)
{
    private int firstSent;

    /// <summary>Adds the notice to every HTTP client of <paramref name="services"/> (the first request of the command is Keycloak's token request).</summary>
    public static void AddTo(IServiceCollection services, CliContext context)
    {
        services.AddSingleton(provider => new CliConnectionNotice(
            context.Error, context.ConnectingNoticeAfter, provider.GetRequiredService<IOptions<KeycloakOptions>>()));
        services.ConfigureAll<HttpClientFactoryOptions>(options => options.HttpMessageHandlerBuilderActions.Add(builder =>
            builder.AdditionalHandlers.Add(new Handler(builder.Services.GetRequiredService<CliConnectionNotice>()))));
    }

    private TimeSpan NoticeAfter => noticeAfter;

    private bool IsFirst() => Interlocked.Exchange(ref firstSent, 1) == 0;

    private void Write(Uri? target)
    {
        lock (error)
        {
            error.WriteLine($"Connecting to {target?.GetLeftPart(UriPartial.Authority)} (realm {keycloak.Value.Realm}) ...");
        }
    }

    private sealed class Handler(CliConnectionNotice notice) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!notice.IsFirst())
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            using var answered = new CancellationTokenSource();
            var pending = WaitThenWriteAsync(request.RequestUri, answered.Token);
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await answered.CancelAsync().ConfigureAwait(false);
                await pending.ConfigureAwait(false);
            }
        }

        private async Task WaitThenWriteAsync(Uri? target, CancellationToken answered)
        {
            try
            {
                await Task.Delay(notice.NoticeAfter, answered).ConfigureAwait(false);
                notice.Write(target);
            }
            catch (OperationCanceledException)
            {
                // The answer came first: nothing to say.
            }
        }
    }
}
