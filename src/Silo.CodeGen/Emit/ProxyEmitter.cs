using Platform.Silo.CodeGen.Model;

namespace Platform.Silo.CodeGen.Emit;

/// <summary>
/// Emits a grain interface's proxy: a <c>GrainReference</c> subclass implementing every method (inherited ones too)
/// explicitly, each through its own struct invokable.
/// </summary>
internal static class ProxyEmitter
{
    public static string Emit(InterfaceModel model)
    {
        var writer = new CodeWriter();
        Common.Header(writer);
        writer.Open($"namespace {model.GeneratedNamespace}");
        writer.Line($"/// <summary>Generated grain proxy for <c>{model.FullName.Replace("global::", string.Empty)}</c>.</summary>");
        writer.Line(Common.GeneratedCodeAttribute);
        writer.Line(Common.EditorBrowsableNever);
        writer.Open($"{(model.IsPublic ? "public" : "internal")} sealed class {model.ClassName} : {Common.Invocation}.GrainReference, {model.FullName}");
        writer.Line("/// <summary>Creates a reference to the grain with <paramref name=\"primaryKey\"/>.</summary>");
        writer.Line("/// <param name=\"shared\">The runtime's state for the grain class.</param>");
        writer.Line("/// <param name=\"primaryKey\">The grain's key.</param>");
        writer.Line($"public {model.ClassName}({Common.Invocation}.GrainReferenceShared shared, string primaryKey)");
        writer.Line("    : base(shared, primaryKey)");
        writer.Line("{");
        writer.Line("}");

        for (var i = 0; i < model.Methods.Length; i++)
        {
            var method = model.Methods[i];
            var invokable = "Invokable_" + i;
            var construct = $"new {invokable}({Common.ArgumentList(method.Parameters)})";
            var call = method.Kind switch
            {
                ReturnKind.ValueTaskOfT => $"base.InvokeAsync<{invokable}, {method.ResultType}>({construct})",
                ReturnKind.TaskOfT => $"base.InvokeAsync<{invokable}, {method.ResultType}>({construct}).AsTask()",
                ReturnKind.ValueTask => $"base.InvokeAsync<{invokable}>({construct})",
                _ => $"base.InvokeAsync<{invokable}>({construct}).AsTask()",
            };

            writer.Line();
            writer.Line($"{method.ReturnType} {method.DeclaringInterface}.{method.Name}({Common.ParameterList(method.Parameters)})");
            writer.Line($"    => {call};");
        }

        for (var i = 0; i < model.Methods.Length; i++)
        {
            var method = model.Methods[i];
            var target = $"(({method.DeclaringInterface})grain).{method.Name}({Common.FieldArgumentList(method.Parameters)})";
            var (interfaceName, signature, body) = method.Kind switch
            {
                ReturnKind.ValueTaskOfT => (
                    $"{Common.Invocation}.IGrainInvokable<{method.ResultType}>",
                    $"{Common.Tasks}.ValueTask<{method.ResultType}> Invoke(object grain)",
                    target),
                ReturnKind.TaskOfT => (
                    $"{Common.Invocation}.IGrainInvokable<{method.ResultType}>",
                    $"{Common.Tasks}.ValueTask<{method.ResultType}> Invoke(object grain)",
                    $"new {Common.Tasks}.ValueTask<{method.ResultType}>({target})"),
                ReturnKind.ValueTask => (
                    $"{Common.Invocation}.IGrainInvokable",
                    $"{Common.Tasks}.ValueTask Invoke(object grain)",
                    target),
                _ => (
                    $"{Common.Invocation}.IGrainInvokable",
                    $"{Common.Tasks}.ValueTask Invoke(object grain)",
                    $"new {Common.Tasks}.ValueTask({target})"),
            };

            writer.Line();
            Common.WriteInvokable(writer, "Invokable_" + i, interfaceName, method, signature, body);
        }

        writer.Close();
        writer.Close();
        return writer.ToString();
    }
}
