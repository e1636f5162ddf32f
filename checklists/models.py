"""Models of the checklists app."""
