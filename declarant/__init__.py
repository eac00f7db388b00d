"""The declarant's desk: everything an operator does without a screen (headless, no Textual)."""
