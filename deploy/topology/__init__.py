"""The production topology on one machine (docs/deployment.md): a PostgreSQL primary and its
streaming replica, Redis, three gunicorn app processes behind HAProxy, and two task workers,
all on 127.0.0.1; ``scripts/topology up|down|status|test|bench``."""
