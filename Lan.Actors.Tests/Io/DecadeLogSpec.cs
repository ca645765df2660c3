using Lan.Actors.Io;

namespace Lan.Actors.Tests.Io;

public sealed class DecadeLogSpec
{
    [Fact]
    public void TheFirstAndEveryPowerOfTen_AreLogged_AndNothingBetween()
    {
        var logged = Enumerable.Range(-1, 10_002).Where(n => DecadeLog.IsLogged(n)).ToArray();

        Assert.Equal([1, 10, 100, 1_000, 10_000], logged);
    }
}
