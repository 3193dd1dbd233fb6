"""Benchmarks: each figure is printed as a ratio to a raw baseline measured in the same run."""
