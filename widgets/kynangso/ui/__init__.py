"""ipywidgets screens over the sandbox."""
