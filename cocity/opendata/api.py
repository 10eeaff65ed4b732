"""Open-data endpoints: the streamed exports and the DCAT-AP_IT catalogue."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["open data"])
