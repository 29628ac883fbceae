"""Workshop mode: the workbooks' topics as live ipywidgets editors that save
what the room decides back into the engagement (store), served with Voilà or
JupyterLab (serve)."""
