"""Management commands of the diary app."""
