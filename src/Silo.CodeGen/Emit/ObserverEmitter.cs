using Platform.Silo.CodeGen.Model;

namespace Platform.Silo.CodeGen.Emit;

/// <summary>
/// Emits an observer interface's reference: an <c>ObserverReference</c> subclass whose methods post a struct
/// invokable to the observer's mailbox and return at once.
/// </summary>
internal static class ObserverEmitter
{
    public static string Emit(InterfaceModel model)
    {
        var writer = new CodeWriter();
        Common.Header(writer);
        writer.Open($"namespace {model.GeneratedNamespace}");
        writer.Line($"/// <summary>Generated observer reference for <c>{model.FullName.Replace("global::", string.Empty)}</c>.</summary>");
        writer.Line(Common.GeneratedCodeAttribute);
        writer.Line(Common.EditorBrowsableNever);
        writer.Open($"{(model.IsPublic ? "public" : "internal")} sealed class {model.ClassName} : {Common.Invocation}.ObserverReference, {model.FullName}");
        writer.Line("/// <summary>Creates a reference that posts to <paramref name=\"mailbox\"/>.</summary>");
        writer.Line("/// <param name=\"mailbox\">The observer's mailbox.</param>");
        writer.Line($"public {model.ClassName}({Common.Invocation}.IObserverMailbox mailbox)");
        writer.Line("    : base(mailbox)");
        writer.Line("{");
        writer.Line("}");

        for (var i = 0; i < model.Methods.Length; i++)
        {
            var method = model.Methods[i];
            writer.Line();
            writer.Line($"void {method.DeclaringInterface}.{method.Name}({Common.ParameterList(method.Parameters)})");
            writer.Line($"    => base.Post(new Invokable_{i}({Common.ArgumentList(method.Parameters)}));");
        }

        for (var i = 0; i < model.Methods.Length; i++)
        {
            var method = model.Methods[i];
            writer.Line();
            Common.WriteInvokable(
                writer,
                "Invokable_" + i,
                $"{Common.Invocation}.IObserverInvokable",
                method,
                "void Invoke(object observer)",
                $"(({method.DeclaringInterface})observer).{method.Name}({Common.FieldArgumentList(method.Parameters)})");
        }

        writer.Close();
        writer.Close();
        return writer.ToString();
    }
}
