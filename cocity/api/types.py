"""Field types shared by the API's input schemas."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

# Text without the NUL character, which PostgreSQL cannot store (Django's forms refuse it too):
# a body carrying one is a 400 naming the field, not a database error.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
