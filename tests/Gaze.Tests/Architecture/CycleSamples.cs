// Two namespaces that use each other only where a walker of signatures alone would not look: Upper uses Lower inside
// a method body, Lower uses Upper inside a lambda (a method of a compiler-generated type nested in Caller).
// NamespaceDependencyTests checks that the walker finds this cycle.

namespace Gaze.Tests.Architecture.Samples.Upper
{
    internal static class Root
    {
        public static int Count() => 2;

        public static int Sum() => Lower.Leaf.Value() + 1;
    }
}

namespace Gaze.Tests.Architecture.Samples.Lower
{
    internal static class Leaf
    {
        public static int Value() => 1;
    }

    internal static class Caller
    {
        public static Func<int> Later() => () => Upper.Root.Count();
    }
}
