"""Textual screens: one per left-menu entry (entry form, query) and the modals."""
