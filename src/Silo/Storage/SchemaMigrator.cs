using System.Reflection;

namespace Platform.Silo.Storage;

/// <summary>A store's side of schema migration: its schema_version table and running SQL.</summary>
internal interface ISchemaStore
{
    /// <summary>The version applied last (0 for a new store); creates the version table if needed.</summary>
    Task<int> CurrentVersionAsync(CancellationToken cancellationToken);

    /// <summary>Runs one migration's SQL and records its version, in one transaction.</summary>
    Task ApplyAsync(int version, string sql, CancellationToken cancellationToken);
}

/// <summary>
/// Brings a store's schema up to date from SQL files embedded beside the provider
/// (<c>NNN_name.sql</c>), applying in order those newer than the store's schema_version.
/// </summary>
internal static class SchemaMigrator
{
    public static async Task MigrateAsync(ISchemaStore store, Assembly assembly, string folder, CancellationToken cancellationToken)
    {
        var prefix = folder + ".";
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => (Version: int.Parse(name.AsSpan(prefix.Length, 3), System.Globalization.CultureInfo.InvariantCulture), Name: name))
            .OrderBy(m => m.Version)
            .ToList();
        var current = await store.CurrentVersionAsync(cancellationToken).ConfigureAwait(false);
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (current > latest)
        {
            throw new InvalidOperationException(
                $"The store's schema version is {current}, newer than this platform knows ({latest}); it was left unchanged.");
        }

        foreach (var (version, name) in migrations.Where(m => m.Version > current))
        {
            await using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var sql = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await store.ApplyAsync(version, sql, cancellationToken).ConfigureAwait(false);
        }
    }
}
