"""Thin views of the core: they validate input, call one service or selector and render."""
