"""What the routers share: the error's schema, the paging parameters of a list
(``cocity.api.pagination``) and the check of a list's filters."""

from __future__ import annotations

from typing import Annotated, Protocol

from ninja import Field, Schema
from ninja.errors import HttpError


class ErrorOut(Schema):
    detail: str


# Filters that several lists take ("": all).
DistrictFilter = Annotated[str, Field(description="The district's slug")]
CategoryFilter = Annotated[str, Field(description="The category's slug")]


class PageQuery(Schema):
    """The paging parameters of a list endpoint."""

    cursor: str = Field("", description="From the `next` link of the previous page")
    page_size: str = Field("20", description="Rows a page, 1 to 100")


class FilterForm(Protocol):
    """A page's filter form, which also reads the API's parameters (``ApiErrorsMixin``)."""

    def is_valid(self) -> bool: ...

    def error_messages(self) -> dict[str, str]: ...


def valid[F: FilterForm](form: F) -> F:
    """``form`` once valid; otherwise a 400 that names each parameter at fault."""
    if not form.is_valid():
        raise HttpError(400, "; ".join(f"{k}: {v}" for k, v in form.error_messages().items()))
    return form
