namespace Catty.Server.Snapshots;

/// <summary>
/// What the snapshot service remembers of a session between attempts, so that it can ask the agent for the
/// change since a keyframe instead of the whole manifest. Only held in memory: after a restart the next
/// changed snapshot is a keyframe again, which costs one whole manifest and loses nothing.
/// </summary>
/// <param name="LastSeq">The newest stored snapshot; the chain is only used while that is still the newest.</param>
/// <param name="KeyframeSeq">The snapshot whose object is the whole manifest the stored changes apply to.</param>
/// <param name="KeyframeDigest">Its digest: the <c>base</c> the agent is asked for a change against.</param>
/// <param name="KeyframeEntries">How many entries it holds.</param>
/// <param name="RefreshDue">The last change had grown big enough that the next snapshot should be a keyframe.</param>
internal sealed record KeyframeChain(int LastSeq, int KeyframeSeq, string KeyframeDigest, int KeyframeEntries, bool RefreshDue)
{
    public static KeyframeChain Start(int seq, string digest, int entries) => new(seq, seq, digest, entries, RefreshDue: false);

    /// <summary>
    /// After a change of <paramref name="changeSize"/> entries (added, changed and removed) was stored as
    /// <paramref name="seq"/>. A change holds everything since the keyframe, so it only grows; once it passes
    /// a quarter of the keyframe, sending and storing it costs more than starting a new keyframe.
    /// </summary>
    public KeyframeChain After(int seq, int changeSize) => this with { LastSeq = seq, RefreshDue = changeSize * 4L > KeyframeEntries };
}
