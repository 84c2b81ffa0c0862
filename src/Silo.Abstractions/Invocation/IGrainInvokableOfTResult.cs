using System.ComponentModel;

namespace Platform.Silo.Invocation;

/// <summary>A captured call to a grain method that returns <see cref="Task{TResult}"/> or <see cref="ValueTask{TResult}"/>.</summary>
/// <typeparam name="TResult">The method's result type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGrainInvokable<TResult> : IInvokable
{
    /// <summary>Calls the method on the grain.</summary>
    /// <param name="grain">The grain instance (implements the method's interface).</param>
    /// <returns>The method's task, as a <see cref="ValueTask{TResult}"/> (a <see cref="Task{TResult}"/> is wrapped, not copied).</returns>
    ValueTask<TResult> Invoke(object grain);
}
