using Plaza.Features.Campaigns;

namespace Plaza.Tests.Campaigns;

/// <summary>
/// The two computations an owner's decisions rest on, against examples worked out by hand: RFM scores standardised per
/// shop and the segments they name, and a campaign's lift with Welch's 95 % confidence interval.
/// </summary>
public sealed class MeasuresTests
{
    [Fact]
    public void Rfm_scores_are_each_customers_distance_from_the_shops_mean_in_standard_deviations_and_name_one_segment_each()
    {
        static DateTime Day(int month, int day) => new(2026, month, day, 0, 0, 0, DateTimeKind.Utc);
        var now = Day(6, 30);
        // Days since the last order 1, 10, 90, 5, 60, 2 → recency −1, −10, −90, −5, −60, −2: mean −28,
        // σ = √((27² + 18² + 62² + 23² + 32² + 26²) / 6) = √(7126 / 6) = 34.4625.
        // Orders 10, 4, 1, 1, 8, 7: mean 31/6 = 5.1667, σ = √((4.8333² + 1.1667² + 4.1667² + 4.1667² + 2.8333² + 1.8333²) / 6) = 3.4359.
        // Spend 500.00, 120.00, 30.00, 20.00, 200.00, 90.00: mean 160.00, σ = √((340² + 40² + 130² + 140² + 40² + 70²) / 6) = 163.4013.
        var scores = Rfm.Score(
        [
            new RfmInput(1, Day(1, 1), Day(6, 29), 10, 50000),
            new RfmInput(2, Day(2, 1), Day(6, 20), 4, 12000),
            new RfmInput(3, Day(3, 1), Day(4, 1), 1, 3000),
            new RfmInput(4, Day(6, 25), Day(6, 25), 1, 2000),
            new RfmInput(5, Day(1, 10), Day(5, 1), 8, 20000),
            new RfmInput(6, Day(3, 3), Day(6, 28), 7, 9000),
        ], now);

        // Customer 1: recency 27 / 34.4625 = 0.7835, frequency 4.8333 / 3.4359 = 1.4067, spend 340 / 163.4013 = 2.0808.
        var expected = new (double R, double F, double M, RfmSegment Segment)[]
        {
            (0.7835, 1.4067, 2.0808, RfmSegment.BigSpenders), // spent more than 1 σ above the mean, lately
            (0.5223, -0.3395, -0.2448, RfmSegment.Regular),
            (-1.7991, -1.2127, -0.7956, RfmSegment.Lapsed), // one order, 90 days ago
            (0.6674, -1.2127, -0.8568, RfmSegment.New), // one order, 5 days ago
            (-0.9285, 0.8246, 0.2448, RfmSegment.AtRisk), // ordered often, but not for 60 days
            (0.7544, 0.5336, -0.4284, RfmSegment.Loyal), // often and lately, modest spend
        };
        Assert.Equal(expected.Length, scores.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].R, scores[i].Recency, 4);
            Assert.Equal(expected[i].F, scores[i].Frequency, 4);
            Assert.Equal(expected[i].M, scores[i].Monetary, 4);
            Assert.Equal(expected[i].Segment, scores[i].Segment);
        }
        // A shop whose customers are all alike has no spread: everyone scores 0 rather than dividing by zero.
        Assert.All(Rfm.Standardise([3, 3, 3]), z => Assert.Equal(0, z));
    }

    [Fact]
    public void Lift_is_the_difference_of_the_means_with_welchs_95_percent_interval()
    {
        // Treated 3, 5, 7, 9: mean 6, s² = (9 + 1 + 1 + 9) / 3 = 6.6667. Hold-out 1, 2, 3: mean 2, s² = (1 + 0 + 1) / 2 = 1.
        // SE = √(6.6667 / 4 + 1 / 3) = √2 = 1.4142; ν = 2² / (1.6667² / 3 + 0.3333² / 2) = 4.0755; t(0.975; 4.0755) = 2.7563
        // (between 2.776 at ν = 4 and 2.571 at ν = 5 in a t table). Interval 4 ± 2.7563 × 1.4142 = [0.1020, 7.8980].
        var lift = Lift.Welch([3, 5, 7, 9], [1, 2, 3])!;
        Assert.Equal(6, lift.TreatedMean, 6);
        Assert.Equal(2, lift.HoldoutMean, 6);
        Assert.Equal(4, lift.Difference, 6);
        Assert.Equal(4.0755, lift.DegreesOfFreedom, 4);
        Assert.Equal(0.1020, lift.Low, 4);
        Assert.Equal(7.8980, lift.High, 4);
        Assert.True(lift.Measurable);

        // Treated 1, 5, 9 against 2, 4, 6: a difference of 1 with SE √(16 / 3 + 4 / 3) = 2.58, an interval spanning zero.
        var none = Lift.Welch([1, 5, 9], [2, 4, 6])!;
        Assert.Equal(1, none.Difference, 6);
        Assert.True(none.Low < 0 && none.High > 0);
        Assert.False(none.Measurable);
        // Fewer than two in a group: no interval can be given.
        Assert.Null(Lift.Welch([1], [1, 2]));
    }
}
