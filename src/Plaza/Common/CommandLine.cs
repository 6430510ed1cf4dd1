namespace Plaza.Common;

/// <summary>A command-line verb a feature offers (<c>dotnet Plaza.dll create-shop …</c>) instead of serving.</summary>
/// <param name="Run">Runs with the arguments after the verb; returns the process exit code.</param>
/// <param name="Migrates">Whether the store is brought to this version's schema before the verb runs (not for backup and restore, which handle a store as it is).</param>
public sealed record CommandVerb(string Name, Func<IServiceProvider, string[], TextWriter, TextWriter, Task<int>> Run, bool Migrates = true);

/// <summary>
/// The node's one dispatcher for command-line verbs: each feature adds its own in its setup, and
/// <c>Program.cs</c> runs the one named by the first argument, if any, before the node migrates and serves.
/// </summary>
public static class CommandLine
{
    public static IServiceCollection AddCommand(this IServiceCollection services, string name, Func<IServiceProvider, string[], TextWriter, TextWriter, Task<int>> run, bool migrates = true) =>
        services.AddSingleton(new CommandVerb(name, run, migrates));

    /// <summary>The verb's exit code, or null when the first argument names no verb (the node then serves).</summary>
    public static async Task<int?> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || services.GetServices<CommandVerb>().FirstOrDefault(v => v.Name == args[0]) is not { } verb)
        {
            return null;
        }
        if (verb.Migrates)
        {
            await Data.DataSetup.MigrateAsync(services);
        }
        return await verb.Run(services, args[1..], output, error);
    }
}
