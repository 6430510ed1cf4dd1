using Plaza.Federation.Signatures;

namespace Plaza.Tests.Federation;

/// <summary>
/// RSA key pairs for fake remote accounts, made once per test process and handed out by index: generating a
/// 2048-bit pair costs a tenth of a second of CPU, and the fake peers of the suite asked for about a thousand.
/// Within one peer (one node's remote world) each index is used once, so its accounts never share a key; two
/// nodes of different tests may see the same key, which nothing they do can tell.
/// </summary>
internal static class TestKeys
{
    private static readonly List<RsaKeyPair> Made = [];
    private static readonly Lock Gate = new();

    public static RsaKeyPair Get(int index)
    {
        lock (Gate)
        {
            while (Made.Count <= index)
            {
                Made.Add(RsaKeyPair.Generate());
            }
            return Made[index];
        }
    }
}
