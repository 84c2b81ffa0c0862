using System.ComponentModel;

namespace Platform.Silo.Invocation;

/// <summary>
/// A captured method call, generated as a <see langword="struct"/> per interface method: its fields are the
/// arguments. For generated code and the runtime.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IInvokable
{
    /// <summary>The called method, as <c>Interface.Method</c> (for logs and errors).</summary>
    string MethodName { get; }
}
