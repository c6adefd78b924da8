"""Run folders: made by a registered engine (papermill in a kernel, or in-process), written
in one place, never rewritten; their provenance, manifest, audit and reproduction."""
