"""Read-side selectors of the core."""
