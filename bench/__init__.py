"""The project's benchmarks: ``python -m bench.run`` (see docs/performance.md)."""
