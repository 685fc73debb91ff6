"""The persistent simulated world: one store, a simulated clock, an event log."""
