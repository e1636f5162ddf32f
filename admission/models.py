"""Models of the admission app."""
