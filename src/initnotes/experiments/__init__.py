"""Experiments: pure functions, (config, rng) in, a results dataclass out. No plotting here."""
