namespace Platform.Silo.CodeGen.Model;

/// <summary>The supported return shapes of grain and observer methods.</summary>
internal enum ReturnKind
{
    Void,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
    Unsupported,
}
