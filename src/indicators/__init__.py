"""Central Asian connectivity indicators: a sourced DuckDB store, its CLI and its dashboard."""

__version__ = "0.1.0"
