"""Text before meaning: name folding, counts, dates, and things found in a text kept in order
of position."""
