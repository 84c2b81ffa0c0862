using System.ComponentModel;

namespace Platform.Silo.Invocation;

/// <summary>A captured call to a grain method that returns <see cref="Task"/> or <see cref="ValueTask"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGrainInvokable : IInvokable
{
    /// <summary>Calls the method on the grain.</summary>
    /// <param name="grain">The grain instance (implements the method's interface).</param>
    /// <returns>The method's task, as a <see cref="ValueTask"/> (a <see cref="Task"/> is wrapped, not copied).</returns>
    ValueTask Invoke(object grain);
}
