"""Reusable keyboard-first Textual widgets (parameter field, date field, check groups, grid)."""
