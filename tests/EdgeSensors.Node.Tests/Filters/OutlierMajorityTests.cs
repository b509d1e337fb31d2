using EdgeSensors.Node.Filters;

namespace EdgeSensors.Node.Tests.Filters;

public class OutlierMajorityTests
{
    [Fact]
    public void Outlier_rejection_returns_NaN_when_fewer_than_half_agree()
    {
        // Two clusters and scattered values: the robust spread is large, but a floor-bound spread with a tight k rejects most.
        double m = OutlierRejector.RobustMean([0, 10, 20, 30, 40, 50, 60], 0.1, 0.001, out int rejected);
        Assert.True(double.IsNaN(m));
        Assert.True(rejected >= 4);
    }
}
