"""Looking at a run: the Voila report app (voila, appserver) and JupyterLab (lab)."""
