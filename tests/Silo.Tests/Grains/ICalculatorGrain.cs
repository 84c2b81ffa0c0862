namespace Platform.Silo.Tests.Grains;

public interface ICalculatorGrain : INamedGrain, ILabelledGrain
{
    ValueTask<int> Add(int left, int right);

    ValueTask Reset();

    // Awkward shapes the generator must handle: a keyword parameter name, params, a nullable, a tuple, a token, and a
    // method named like GrainReference's own.
    Task<(int Sum, string? Text)> Combine(int @class, string? text, CancellationToken cancellationToken, params int[] values);

    Task<int> InvokeAsync(int value);

    ValueTask<int> GetTotal();
}
