"""Deployment tooling: the production topology that runs on one machine (``deploy.topology``,
``scripts/topology``; docs/deployment.md)."""
