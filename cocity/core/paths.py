"""Paths that the layers below the apps that serve them need to recognise."""

from __future__ import annotations

# The versioned JSON API (cocity/api): its middleware, the write limit, the second-factor
# middleware and the error pages answer its requests in JSON.
API_PREFIX = "/api/v1/"
