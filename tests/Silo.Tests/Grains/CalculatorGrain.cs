namespace Platform.Silo.Tests.Grains;

public sealed class CalculatorGrain : Grain, ICalculatorGrain
{
    private int _total;

    public Task<string> GetName() => Task.FromResult("calculator:" + GetPrimaryKeyString());

    public Task<string> GetLabel() => Task.FromResult("label");

    public ValueTask<int> Add(int left, int right)
    {
        _total += left + right;
        return new(left + right);
    }

    public ValueTask Reset()
    {
        _total = 0;
        return ValueTask.CompletedTask;
    }

    public Task<(int Sum, string? Text)> Combine(int @class, string? text, CancellationToken cancellationToken, params int[] values) =>
        Task.FromResult((@class + values.Sum(), text));

    public Task<int> InvokeAsync(int value) => Task.FromResult(value * 2);

    public ValueTask<int> GetTotal() => new(_total);
}
