"""Writes: every change to the diary goes through a function here (keyword-only, typed)."""
