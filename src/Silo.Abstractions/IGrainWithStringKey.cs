namespace Platform.Silo;

/// <summary>
/// Marker for grain interfaces whose grains are identified by a string key. The code generator emits a proxy and
/// one invokable per method for every interface that extends this one.
/// </summary>
/// <remarks>
/// Methods must return <see cref="Task"/>, <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or
/// <see cref="ValueTask{TResult}"/> and take their parameters by value; properties, events and generic methods are
/// compile errors (PLATSILO diagnostics).
/// </remarks>
public interface IGrainWithStringKey : IGrain
{
}
