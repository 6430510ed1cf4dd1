using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Plaza.Features.Operations;

/// <summary>
/// A backup sealed with a passphrase: AES-256-GCM over 1 MiB chunks, the key drawn from the passphrase with
/// PBKDF2-SHA256 and a random salt. Each chunk's nonce counts up from a random prefix and its tag covers the
/// header and whether it is the last chunk, so a changed, reordered, dropped or cut-off chunk fails to open.
/// </summary>
/// <remarks>
/// Layout: <c>PLAZAENC</c>, version (1 byte), PBKDF2 iterations (4 bytes), salt (16), nonce prefix (8); then
/// chunks, each its plaintext length (4 bytes, the high bit marking the last), ciphertext and tag (16).
/// </remarks>
public static class ArchiveCipher
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("PLAZAENC");
    private const byte Version = 1;
    private const int Iterations = 600_000;
    private const int ChunkSize = 1 << 20;
    private const int HeaderSize = 8 + 1 + 4 + 16 + 8;
    private const uint LastFlag = 0x8000_0000;

    /// <summary>Whether the file starts as a sealed archive does.</summary>
    public static bool IsSealed(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> start = stackalloc byte[Magic.Length];
        return file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) == start.Length && start.SequenceEqual(Magic);
    }

    public static async Task SealAsync(Stream plain, Stream sealedOutput, string passphrase, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        header[8] = Version;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(9), Iterations);
        RandomNumberGenerator.Fill(header.AsSpan(13, 24));
        await sealedOutput.WriteAsync(header, cancellationToken);
        using var aes = new AesGcm(Key(passphrase, header), AesGcm.TagByteSizes.MaxSize);

        var buffer = new byte[ChunkSize];
        var next = new byte[ChunkSize];
        var length = await plain.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, cancellationToken);
        for (uint index = 0; ; index++)
        {
            // Read ahead one chunk, so the last one is known as the last when it is sealed.
            var nextLength = length < ChunkSize ? 0 : await plain.ReadAtLeastAsync(next, ChunkSize, throwOnEndOfStream: false, cancellationToken);
            var last = nextLength == 0;
            var cipher = new byte[4 + length + 16];
            BinaryPrimitives.WriteUInt32BigEndian(cipher, (uint)length | (last ? LastFlag : 0));
            aes.Encrypt(Nonce(header, index), buffer.AsSpan(0, length), cipher.AsSpan(4, length), cipher.AsSpan(4 + length), Associated(header, last));
            await sealedOutput.WriteAsync(cipher, cancellationToken);
            if (last)
            {
                return;
            }
            (buffer, next, length) = (next, buffer, nextLength);
        }
    }

    /// <summary>Opens a sealed archive; throws <see cref="InvalidDataException"/> for a wrong passphrase or any change to the file.</summary>
    public static async Task OpenAsync(Stream sealedInput, Stream plain, string passphrase, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        if (await sealedInput.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken) < HeaderSize
            || !header.AsSpan(0, 8).SequenceEqual(Magic) || header[8] != Version)
        {
            throw new InvalidDataException(Text.Say("The archive is not a sealed Plaza backup, or was sealed by a newer Plaza."));
        }
        if (BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(9)) is < 100_000 or > 10_000_000)
        {
            throw new InvalidDataException(Text.Say("The archive was changed: it does not open with this passphrase."));
        }
        using var aes = new AesGcm(Key(passphrase, header), AesGcm.TagByteSizes.MaxSize);
        var prefix = new byte[4];
        for (uint index = 0; ; index++)
        {
            if (await sealedInput.ReadAtLeastAsync(prefix, 4, throwOnEndOfStream: false, cancellationToken) < 4)
            {
                throw new InvalidDataException(Text.Say("The archive ends early: it was cut off or changed."));
            }
            var word = BinaryPrimitives.ReadUInt32BigEndian(prefix);
            var last = (word & LastFlag) != 0;
            var length = (int)(word & ~LastFlag);
            if (length > ChunkSize)
            {
                throw new InvalidDataException(Text.Say("The archive was changed: it does not open with this passphrase."));
            }
            var cipher = new byte[length + 16];
            if (await sealedInput.ReadAtLeastAsync(cipher, cipher.Length, throwOnEndOfStream: false, cancellationToken) < cipher.Length)
            {
                throw new InvalidDataException(Text.Say("The archive ends early: it was cut off or changed."));
            }
            var chunk = new byte[length];
            try
            {
                aes.Decrypt(Nonce(header, index), cipher.AsSpan(0, length), cipher.AsSpan(length), chunk, Associated(header, last));
            }
            catch (AuthenticationTagMismatchException)
            {
                throw new InvalidDataException(Text.Say("The passphrase is wrong, or the archive was changed: it does not open with this passphrase."));
            }
            await plain.WriteAsync(chunk, cancellationToken);
            if (last)
            {
                return;
            }
        }
    }

    private static byte[] Key(string passphrase, byte[] header) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), header.AsSpan(13, 16), BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(9)), HashAlgorithmName.SHA256, 32);

    private static byte[] Nonce(byte[] header, uint index)
    {
        var nonce = new byte[12];
        header.AsSpan(29, 8).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(8), index);
        return nonce;
    }

    private static byte[] Associated(byte[] header, bool last) => [.. header, last ? (byte)1 : (byte)0];
}
