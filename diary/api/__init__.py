"""The HTTP API (CONTRACT.md): thin viewsets that validate input, call services and render output."""
