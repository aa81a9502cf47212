"""Settings for bench/load.py: the production settings as they are, with the bare baseline view added."""

from config.settings.production import *  # noqa: F403

# The project's URLconf plus one bare view (bench/load_urls.py), so that both endpoints of the
# throughput ratio are served by the same gunicorn workers, middleware and resolver.
ROOT_URLCONF = "bench.load_urls"
