namespace CoroutineGen.Generators;
internal static class Placeholder { }
