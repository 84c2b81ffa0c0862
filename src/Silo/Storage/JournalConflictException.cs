using System.Data.Common;

namespace Platform.Silo.Storage;

/// <summary>
/// A commit would give a grain a second journal row from the same version on (its journal written
/// twice): the commit fails, as it did when the table's key was (grain, first version).
/// </summary>
public sealed class JournalConflictException : DbException
{
    /// <inheritdoc/>
    public JournalConflictException()
    {
    }

    /// <inheritdoc/>
    public JournalConflictException(string message)
        : base(message)
    {
    }

    /// <inheritdoc/>
    public JournalConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
