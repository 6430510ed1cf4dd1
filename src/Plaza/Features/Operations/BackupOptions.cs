namespace Plaza.Features.Operations;

/// <summary>Settings under <c>Plaza:Backup</c>: where the node keeps its backups and how often it takes one.</summary>
public sealed class BackupOptions
{
    /// <summary>Where archives go; <c>{DataDir}/backups</c> when unset. Put it on another disk (or sync it off the machine): a backup beside the store dies with its disk.</summary>
    public string? Directory { get; set; }

    /// <summary>How often the running node takes a backup; zero turns the schedule off (the <c>backup</c> command still works).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>On a node with no backup yet, how long after start the first is taken (a start is not slowed by one).</summary>
    public TimeSpan FirstAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many scheduled backups to keep; older ones are deleted after a new one is whole.</summary>
    public int Keep { get; set; } = 7;

    /// <summary>Seals archives with AES-256-GCM when set (or <see cref="PassphraseFile"/>); keep it somewhere other than the node.</summary>
    public string? Passphrase { get; set; }

    /// <summary>A file whose first line is the passphrase (a systemd credential, a mounted secret).</summary>
    public string? PassphraseFile { get; set; }

    /// <summary>Take a backup before a start applies migrations to a store that has data; on by default.</summary>
    public bool BeforeUpgrade { get; set; } = true;

    /// <summary>pg_dump and pg_restore for a PostgreSQL store: their names on PATH, or full paths (a version at least the server's).</summary>
    public string PgDump { get; set; } = "pg_dump";

    public string PgRestore { get; set; } = "pg_restore";

    public string? ReadPassphrase() =>
        !string.IsNullOrEmpty(Passphrase) ? Passphrase
        : !string.IsNullOrEmpty(PassphraseFile) ? File.ReadLines(PassphraseFile).FirstOrDefault()?.TrimEnd('\r')
        : null;
}
