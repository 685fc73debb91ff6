"""Pure-Python rules of the simulated world: no Jupyter, no widgets, no store."""
