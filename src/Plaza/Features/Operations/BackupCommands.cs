namespace Plaza.Features.Operations;

/// <summary>
/// <c>backup</c> and <c>restore</c> on the command line; they run before the node migrates, so they handle a store as it is.
/// </summary>
internal static class BackupCommands
{
    /// <summary><c>backup [--to DIR]</c>: one archive now, into the backup directory or DIR.</summary>
    public static async Task<int> BackupAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var backups = services.GetRequiredService<Backups>();
        if (Option(args, "--to") is { } to)
        {
            backups.Options.Directory = to;
        }
        try
        {
            var (path, manifest) = await backups.TakeAsync(Backups.Prefix, CancellationToken.None);
            await output.WriteLineAsync(Text.Say("Backup written to {0}: a {1} store at migration {2}, with {3} photos.", path, manifest.Store, manifest.Schema.Count > 0 ? manifest.Schema[^1] : "-", manifest.Files.Count(f => f.Path.StartsWith("media/", StringComparison.Ordinal))));
            return 0;
        }
        catch (BackupUnavailableException e)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    /// <summary><c>restore ARCHIVE [--force] [--passphrase-file FILE]</c>.</summary>
    public static async Task<int> RestoreAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var archive = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && a != Option(args, "--passphrase-file"));
        if (archive is null)
        {
            await error.WriteLineAsync(Text.Say("Usage: restore ARCHIVE [--force] [--passphrase-file FILE]"));
            return 2;
        }
        var passphrase = Option(args, "--passphrase-file") is { } file ? File.ReadLines(file).FirstOrDefault()?.TrimEnd('\r') : null;
        try
        {
            var result = await services.GetRequiredService<Restorer>().RestoreAsync(archive, args.Contains("--force"), passphrase, CancellationToken.None);
            await output.WriteLineAsync(Text.Say(
                "Restored the backup of {0} taken at {1:u}: {2} shops, {3} orders, {4} photos. The node brings the store to this version when it next starts.",
                result.Manifest.Origin, result.Manifest.TakenAt, result.Shops, result.Orders, result.Photos));
            return 0;
        }
        catch (RestoreRefusedException e)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (BackupUnavailableException e)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
