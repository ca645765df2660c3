using BenchmarkDotNet.Running;
using Lan.Actors.Benchmarks.Actors;

// `--idle-memory` measures retained bytes per idle actor; anything else goes to BenchmarkDotNet
// (pick suites with --filter, e.g. `--filter *PingPong*`).
if (args.Contains("--idle-memory"))
{
    IdleActorMemory.Run();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
