"""Everything a reader sees: HTML parts (Jinja templates), charts, report.html and its
PDF, the result tables, the notebook cells and the Voila app."""
