using IdpBridge.Keycloak.Users;

namespace IdpBridge.Core.Rollouts;

/// <summary>A user of a page to write: a first write, one a crashed run may have sent, or the sweep putting a lost action back.</summary>
/// <param name="User">The list item.</param>
/// <param name="WasPending">The store holds a pending row: a write for this user may have been sent by a run that crashed.</param>
/// <param name="Remarks">The outcome recorded for a user the sweep found without the action (null for a first write).</param>
internal sealed record UserWrite(UserRepresentation User, bool WasPending, UserOutcome? Remarks);

/// <summary>
/// Sorts the users of one listed page into outcomes the list items already tell and users to write, given what the
/// rollout recorded for them.
/// </summary>
/// <remarks>
/// The closing sweep checks the server, not the record: a user recorded as marked (or as carrying the action already)
/// whose list item lacks <c>TERMS_AND_CONDITIONS</c> lost it (a write Keycloak acknowledged and then lost when it
/// died, another tool's PUT, an administrator removing it in the console), so the sweep writes it again, unless the
/// user accepted since the rollout's start. The list items carry the required actions already: this costs no request
/// for the users who kept the action. Exempted and failed users are left alone (retries are on demand).
/// </remarks>
internal static class PageTriage
{
    public static (List<UserResult> Known, List<UserWrite> ToWrite) Sort(
        IReadOnlyList<UserRepresentation> users, IReadOnlyDictionary<string, UserOutcome?> recorded, RolloutPhase phase, DateTimeOffset start)
    {
        var known = new List<UserResult>();
        var toWrite = new List<UserWrite>();
        foreach (var user in users)
        {
            var hasRow = recorded.TryGetValue(user.Id!, out var outcome);
            if (outcome is { } final)
            {
                if (phase == RolloutPhase.Sweep && LostTheAction(user, final, start))
                {
                    toWrite.Add(new UserWrite(user, WasPending: false, Remarks: final));
                }

                continue;
            }

            // A pending user carrying the action may owe it to the crashed run's write: the fresh read decides.
            var listed = TermsMarking.Classify(user, start);
            if (listed is not null && !(hasRow && listed == UserOutcome.AlreadyPending))
            {
                known.Add(new UserResult(user.Id!, listed.Value));
            }
            else
            {
                toWrite.Add(new UserWrite(user, hasRow, Remarks: null));
            }
        }

        return (known, toWrite);
    }

    /// <summary>
    /// The revision a re-mark's write leads to: the action put back (counted as re-marked), or a refusal now; none when
    /// the action came back meanwhile or the user accepted (the record stands).
    /// </summary>
    public static UserRevision? Revision(UserWrite write, UserResult result) => (write.Remarks, result.Outcome) switch
    {
        (null, _) => null,
        ({ } was, UserOutcome.Marked) => new UserRevision(result with { Username = write.User.Username }, was, Remark: true),
        ({ } was, UserOutcome.Failed) => new UserRevision(result, was),
        _ => null,
    };

    private static bool LostTheAction(UserRepresentation user, UserOutcome recorded, DateTimeOffset start) =>
        recorded is UserOutcome.Marked or UserOutcome.AlreadyPending
        && !TermsMarking.IsServiceAccount(user)
        && !TermsMarking.CarriesTerms(user)
        && !TermsMarking.AcceptedSince(user, start);
}
