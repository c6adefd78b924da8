"""Foundations that know nothing about co-production: errors and the problem collector,
paths, immutable containers, ids as people see them, YAML and CSV/XLSX tables read safely,
statistics and reliability, and the evaluation folder's format versions."""
