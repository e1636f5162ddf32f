"""Models of the taskcheck app."""
