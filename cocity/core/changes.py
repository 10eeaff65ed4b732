"""One way to say "this changed" (docs/architecture.md, "Changes").

A service that writes announces, once per write, what it changed: which municipality (``None``
for data of no single city), which kind of object (``"pacts.pact"``, ``"commons.commons"``…)
and which object. The announcement reaches the subscribers after the transaction commits, and
never when it rolls back. Subscribers are cheap and idempotent (they move a version in the
cache): a write may announce more than once.

Subscribers register in their ``AppConfig.ready`` (the page cache here in core, the impact
figures in impact, later the notifications): the apps that write know none of them, and the
read side knows no writer. There are no model signals behind it: a write that should reach the
readers says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class Change:
    municipality_id: int | None
    kind: str
    pk: int | None = None


Subscriber = Callable[[Change], None]
_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    """Call ``subscriber`` with every change, after its commit (once, however often an app's
    ``ready`` runs)."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def changed(*, municipality_id: int | None, kind: str, pk: int | None = None) -> None:
    """Announce a change made in the current transaction (or now, outside one)."""
    change = Change(municipality_id=municipality_id, kind=kind, pk=pk)
    transaction.on_commit(_Delivery(change), robust=True)


@dataclass(frozen=True)
class _Delivery:
    change: Change

    def __call__(self) -> None:
        for subscriber in list(_subscribers):
            subscriber(self.change)
