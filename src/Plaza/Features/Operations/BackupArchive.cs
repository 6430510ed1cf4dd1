using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace Plaza.Features.Operations;

/// <summary>What a backup holds and how to trust it: read first on restore, written last in the archive.</summary>
/// <param name="Format">The archive's layout; a Plaza that reads a higher one refuses it.</param>
/// <param name="Store"><c>sqlite</c> (the payload is <c>plaza.db</c>) or <c>postgres</c> (<c>plaza.pgdump</c>, pg_dump's custom format).</param>
/// <param name="Schema">The migrations applied to the backed-up store, by name, oldest first.</param>
/// <param name="Files">Every other file in the archive, with its size and SHA-256.</param>
public sealed record BackupManifest(int Format, string Plaza, DateTimeOffset TakenAt, string Store, string Origin, IReadOnlyList<string> Schema, IReadOnlyList<BackupFile> Files)
{
    public const int CurrentFormat = 1;
    public const string FileName = "manifest.json";
}

public sealed record BackupFile(string Path, long Size, string Sha256);

/// <summary>
/// A backup on disk: one gzip-compressed tar of the store's copy, the uploaded photos and the manifest, sealed with
/// <see cref="ArchiveCipher"/> when a passphrase is set. Written under a temporary name and renamed when whole,
/// so a backup that is listed is a backup that is complete.
/// </summary>
public static class BackupArchive
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes the archive at <paramref name="path"/>: the files (archive name, file on disk), then the manifest naming each with its checksum.</summary>
    public static async Task<BackupManifest> WriteAsync(string path, BackupManifest manifest, IReadOnlyList<(string Name, string Source)> files, string? passphrase, CancellationToken cancellationToken)
    {
        var partial = path + ".partial";
        var listed = new List<BackupFile>();
        try
        {
            await using (var output = File.Create(passphrase is null ? partial : partial + ".plain"))
            {
                await using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
                await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
                {
                    foreach (var (name, source) in files)
                    {
                        listed.Add(new(name, new FileInfo(source).Length, await HashAsync(source, cancellationToken)));
                        await tar.WriteEntryAsync(source, name, cancellationToken);
                    }
                    manifest = manifest with { Format = BackupManifest.CurrentFormat, Files = listed };
                    var entry = new PaxTarEntry(TarEntryType.RegularFile, BackupManifest.FileName) { DataStream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest, Json)) };
                    await tar.WriteEntryAsync(entry, cancellationToken);
                }
                await output.FlushAsync(cancellationToken);
                output.Flush(flushToDisk: true);
            }
            if (passphrase is not null)
            {
                await using (var plain = File.OpenRead(partial + ".plain"))
                await using (var output = File.Create(partial))
                {
                    await ArchiveCipher.SealAsync(plain, output, passphrase, cancellationToken);
                    output.Flush(flushToDisk: true);
                }
                File.Delete(partial + ".plain");
            }
            File.Move(partial, path, overwrite: false);
            return manifest;
        }
        finally
        {
            File.Delete(partial);
            File.Delete(partial + ".plain");
        }
    }

    /// <summary>
    /// Unpacks the archive into the empty directory <paramref name="target"/> and checks every file against the
    /// manifest; throws <see cref="InvalidDataException"/> (saying what is wrong) for a damaged, changed or foreign archive.
    /// </summary>
    public static async Task<BackupManifest> ExtractAsync(string path, string target, string? passphrase, CancellationToken cancellationToken)
    {
        var compressed = path;
        var opened = Path.Combine(target, ".opened.tar.gz");
        if (ArchiveCipher.IsSealed(path))
        {
            if (string.IsNullOrEmpty(passphrase))
            {
                throw new InvalidDataException(Text.Say("The archive is sealed with a passphrase: give it with --passphrase-file or Plaza:Backup:Passphrase."));
            }
            await using (var input = File.OpenRead(path))
            await using (var output = File.Create(opened))
            {
                await ArchiveCipher.OpenAsync(input, output, passphrase, cancellationToken);
            }
            compressed = opened;
        }
        try
        {
            await using (var input = File.OpenRead(compressed))
            await using (var gzip = new GZipStream(input, CompressionMode.Decompress))
            await using (var tar = new TarReader(gzip))
            {
                while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !SafeName(entry.Name))
                    {
                        throw new InvalidDataException(Text.Say("The archive holds an entry a Plaza backup never has: {0}.", entry.Name));
                    }
                    var destination = Path.Combine(target, entry.Name);
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    await entry.ExtractToFileAsync(destination, overwrite: false, cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or IOException && e is not FileNotFoundException)
        {
            throw new InvalidDataException(Text.Say("The archive is damaged and cannot be read: {0}", e.Message), e);
        }
        finally
        {
            File.Delete(opened);
        }

        var manifestPath = Path.Combine(target, BackupManifest.FileName);
        BackupManifest manifest;
        try
        {
            manifest = File.Exists(manifestPath) ? JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllBytesAsync(manifestPath, cancellationToken), Json)!
                : throw new InvalidDataException(Text.Say("The archive has no manifest: it is not a Plaza backup."));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(Text.Say("The archive's manifest cannot be read: {0}", e.Message), e);
        }
        if (manifest.Format > BackupManifest.CurrentFormat)
        {
            throw new InvalidDataException(Text.Say("The archive was written by a newer Plaza (format {0}); upgrade this node first.", manifest.Format));
        }
        var present = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(target, f).Replace('\\', '/'))
            .Where(f => f != BackupManifest.FileName).ToHashSet(StringComparer.Ordinal);
        foreach (var file in manifest.Files ?? [])
        {
            if (!SafeName(file.Path) || !present.Remove(file.Path))
            {
                throw new InvalidDataException(Text.Say("The archive lacks {0}, which its manifest lists.", file.Path));
            }
            var onDisk = Path.Combine(target, file.Path);
            if (new FileInfo(onDisk).Length != file.Size || await HashAsync(onDisk, cancellationToken) != file.Sha256)
            {
                throw new InvalidDataException(Text.Say("{0} in the archive does not match its checksum: the archive was changed or damaged.", file.Path));
            }
        }
        if (present.Count > 0)
        {
            throw new InvalidDataException(Text.Say("The archive holds files its manifest does not list: {0}.", string.Join(", ", present.Order(StringComparer.Ordinal))));
        }
        return manifest;
    }

    /// <summary>A relative path inside the archive: no root, no <c>..</c>, no backslashes.</summary>
    private static bool SafeName(string name) =>
        name.Length > 0 && !name.StartsWith('/') && !name.Contains('\\', StringComparison.Ordinal) && !Path.IsPathRooted(name)
        && name.Split('/').All(part => part is not ("" or "." or ".."));

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}
