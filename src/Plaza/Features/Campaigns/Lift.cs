using MathNet.Numerics.Distributions;

namespace Plaza.Features.Campaigns;

/// <summary>
/// What a campaign changed: the difference between the mean of the treated group and the mean of the hold-out group,
/// with Welch's confidence interval (no assumption that the two groups vary alike). When the interval spans zero the
/// campaign had no measurable effect.
/// </summary>
public sealed record Lift(int Treated, int Holdout, double TreatedMean, double HoldoutMean, double Difference, double Low, double High, double DegreesOfFreedom)
{
    /// <summary>The interval lies wholly above or wholly below zero.</summary>
    public bool Measurable => Low > 0 || High < 0;

    /// <summary>
    /// Welch's interval for mean(treated) − mean(holdout): the difference ± t(1 − (1 − confidence)/2, ν) × √(s₁²/n₁ + s₂²/n₂), with
    /// ν from the Welch–Satterthwaite equation and s² the sample variances. Null when either group has fewer than two members.
    /// </summary>
    public static Lift? Welch(IReadOnlyList<double> treated, IReadOnlyList<double> holdout, double confidence = 0.95)
    {
        if (treated.Count < 2 || holdout.Count < 2)
        {
            return null;
        }
        var (m1, v1) = MeanAndVariance(treated);
        var (m2, v2) = MeanAndVariance(holdout);
        var (a, b) = (v1 / treated.Count, v2 / holdout.Count);
        var difference = m1 - m2;
        var se = Math.Sqrt(a + b);
        if (se == 0)
        {
            return new Lift(treated.Count, holdout.Count, m1, m2, difference, difference, difference, treated.Count + holdout.Count - 2);
        }
        var df = (a + b) * (a + b) / (a * a / (treated.Count - 1) + b * b / (holdout.Count - 1));
        var t = StudentT.InvCDF(0, 1, df, 1 - (1 - confidence) / 2);
        return new Lift(treated.Count, holdout.Count, m1, m2, difference, difference - t * se, difference + t * se, df);
    }

    private static (double Mean, double Variance) MeanAndVariance(IReadOnlyList<double> xs)
    {
        var mean = xs.Average();
        return (mean, xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1));
    }

    /// <summary>An amount in minor units, rounded, a loss with a leading minus sign (−€0.03, not €-0.03).</summary>
    public static string Show(double minor, string currency)
    {
        var rounded = (long)Math.Round(minor);
        var shown = Common.Currencies.Format(new Common.Money(Math.Abs(rounded), currency));
        return rounded < 0 ? "−" + shown : shown;
    }
}
