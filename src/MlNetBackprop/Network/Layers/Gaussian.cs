namespace MlNetBackprop.Network.Layers;

/// <summary>Standard normal draws for weight initialisation.</summary>
internal static class Gaussian
{
    /// <summary>One draw from N(0, 1) by Box–Muller; 1 − NextDouble() lies in (0, 1], so the logarithm is finite.</summary>
    public static double Next(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
