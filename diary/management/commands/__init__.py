"""Management commands of the diary app: manage.py <name>."""
