"""One way to ask a permission: the named ``rules`` predicates, evaluated as they are.

``user.has_perm`` would also work but grants everything to a superuser (Django's model
backend), so that a platform admin could, say, submit a citizen's proposal; domain permissions
say themselves where the platform admin is included. Nothing else in ``cocity`` calls
``.has_perm(``: tests/core/test_one_permission_function.py fails if something does."""

from __future__ import annotations

from typing import Any

import rules


def can(user: Any, permission: str, obj: Any = None) -> bool:
    return bool(rules.has_perm(permission, user, obj))
