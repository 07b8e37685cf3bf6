"""benchrun: declarative benchmarks of LLM code adaptation and system-aware tuning."""

__version__ = "0.1.0"
