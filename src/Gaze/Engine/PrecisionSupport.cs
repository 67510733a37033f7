using System.Runtime.Intrinsics.X86;
using Gaze.Errors;

namespace Gaze.Engine;

/// <summary>Which <see cref="Precision"/> this CPU runs natively, and the names the command line uses for them.</summary>
public static class PrecisionSupport
{
    /// <summary>True when the CPU has bfloat16 dot-product instructions (AVX-512-BF16 or AMX-BF16).</summary>
    public static bool HasBFloat16 { get; } = DetectBFloat16();

    /// <summary>Checks that <paramref name="precision"/> can run here.</summary>
    /// <exception cref="UnsupportedPrecisionException">bfloat16 on a CPU without bfloat16 instructions.</exception>
    public static void Require(Precision precision)
    {
        if (precision == Precision.BFloat16 && !HasBFloat16)
            throw new UnsupportedPrecisionException("bf16 needs a CPU with AVX-512-BF16 or AMX-BF16 instructions; this one has neither (use fp32)");
    }

    /// <summary>Parses the command-line name (<c>fp32</c> or <c>bf16</c>).</summary>
    /// <exception cref="InvalidOptionException">Any other name.</exception>
    public static Precision Parse(string text, string option = "--precision") => text.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => Precision.Float32,
        "bf16" or "bfloat16" => Precision.BFloat16,
        _ => throw new InvalidOptionException(option, $"'{text}' is not a precision; use fp32 or bf16"),
    };

    /// <summary>The command-line name of <paramref name="precision"/>.</summary>
    public static string Name(Precision precision) => precision == Precision.BFloat16 ? "bf16" : "fp32";

    private static bool DetectBFloat16()
    {
        if (!X86Base.IsSupported) return false;
        // CPUID leaf 7: sub-leaf 1 EAX bit 5 is AVX512_BF16; sub-leaf 0 EDX bit 22 is AMX-BF16.
        var (maxLeaf, _, _, _) = X86Base.CpuId(0, 0);
        if (maxLeaf < 7) return false;
        var (_, _, _, edx) = X86Base.CpuId(7, 0);
        var (eax, _, _, _) = X86Base.CpuId(7, 1);
        return (eax & (1 << 5)) != 0 || (edx & (1 << 22)) != 0;
    }
}
