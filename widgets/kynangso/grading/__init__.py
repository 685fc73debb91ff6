"""Helpers that nbgrader's hidden tests call, and the trainer's command line."""
