using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using MlNetBackprop.Network.Kernels;
using Xunit;

namespace MlNetBackprop.Tests.Network;

/// <summary>The kernels take the hardware's vectors, not the scalar fallback (tests/arm64/run.sh runs this on ARM64).</summary>
public sealed class VectorPathTests
{
    [Fact]
    public void The_kernels_run_the_widest_native_vectors_with_fused_multiply_add()
    {
        switch (RuntimeInformation.ProcessArchitecture)
        {
            case Architecture.Arm64 when AdvSimd.IsSupported:
                Assert.Equal(VectorWidth.Bits128, Simd.Widest);
                Assert.True(Simd.HasFusedMultiplyAdd);
                break;
            case Architecture.X64 when Avx2.IsSupported && Fma.IsSupported:
                Assert.True(Simd.Widest >= VectorWidth.Bits256, $"{Simd.Widest}");
                Assert.True(Simd.HasFusedMultiplyAdd);
                break;
            default:
                Assert.Fail($"No vector path is expected on {RuntimeInformation.ProcessArchitecture}; this test knows ARM64 and x64 with AVX2.");
                break;
        }
    }
}
