"""Many evaluations at once: evaluated on Dask (evaluate), kept in a DuckDB store (store),
audited together (audit)."""
