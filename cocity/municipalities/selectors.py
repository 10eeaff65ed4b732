"""Reads on municipalities and districts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cocity.core import geo, registry, versions
from cocity.core.changes import Change
from cocity.municipalities.models import District, Municipality, RegulationChange


def municipality_get(*, slug: str) -> Municipality:
    """The municipality of a URL, or a 404 that the site renders in its layout."""
    try:
        # The boundary (tens of kilobytes for a city) is read only where a write needs it.
        return Municipality.objects.defer("boundary").get(slug=slug)
    except Municipality.DoesNotExist:
        raise Http404(
            _("There is no municipality called “%(slug)s” on the platform.") % {"slug": slug}
        ) from None


CHOICES_KEY = "municipalities:choices"
CHOICES_SECONDS = 300  # a bound for the other processes' caches when there is no shared one


def municipality_choices() -> list[tuple[str, str]]:
    """(slug, name) pairs for the city switcher of every page: cached, and forgotten whenever
    a municipality is saved or deleted (``municipality_choices_changed``)."""
    choices: list[tuple[str, str]] | None = cache.get(CHOICES_KEY)
    if choices is None:
        choices = list(Municipality.objects.order_by("name").values_list("slug", "name"))
        cache.set(CHOICES_KEY, choices, CHOICES_SECONDS)
    return choices


def municipality_choices_changed(change: Change) -> None:
    """Subscriber of ``cocity.core.changes``: a municipality was created or changed."""
    if change.kind == "municipalities.municipality" and change.municipality_id is not None:
        cache.delete(CHOICES_KEY)
        slugs = Municipality.objects.filter(pk=change.municipality_id).values_list(
            "slug", flat=True
        )
        cache.delete_many([f"municipalities:slug:{slug}" for slug in slugs])


SLUG_SECONDS = 300


def municipality_id_of_slug(slug: str) -> int | None:
    """Which municipality a URL's slug names (``None``: none), for the caches' versions
    (``cocity.core.versions.path_token``): kept in the shared cache, forgotten when a
    municipality changes."""
    found = cache.get_or_set(
        f"municipalities:slug:{slug}",
        lambda: Municipality.objects.filter(slug=slug).values_list("pk", flat=True).first() or 0,
        SLUG_SECONDS,
    )
    return found or None


def district_list(*, municipality: Municipality) -> QuerySet[District]:
    return District.objects.filter(municipality=municipality).defer("boundary")


def district_at(*, municipality: Municipality, lon: float, lat: float) -> District | None:
    """The district whose polygon holds the point: the bounding-box index narrows the
    candidates, shapely decides."""
    candidates = District.objects.filter(
        municipality=municipality,
        min_lon__lte=lon,
        max_lon__gte=lon,
        min_lat__lte=lat,
        max_lat__gte=lat,
    )
    for district in candidates:
        if district.boundary and geo.contains(district.boundary, lon, lat):
            return district
    return None


def municipality_overview() -> list[dict[str, Any]]:
    """Every municipality with the headline figures that the apps register: one query for the
    municipalities and one per figure, whatever their number."""
    municipalities = list(
        Municipality.objects.only("slug", "name", "region", "province").order_by("name")
    )
    stats = registry.statistics()
    values = _figures("all", [m.pk for m in municipalities])
    return [
        {
            "municipality": m,
            "figures": [
                {
                    "key": s.key,
                    "label": s.label,
                    "counts": s.counts,
                    "value": values[s.key].get(m.pk, 0),
                }
                for s in stats
            ],
        }
        for m in municipalities
    ]


def municipality_figures(*, municipality: Municipality) -> list[dict[str, Any]]:
    """The headline figures of one municipality."""
    values = _figures(str(municipality.pk), [municipality.pk])
    return [
        {
            "key": s.key,
            "label": s.label,
            "counts": s.counts,
            "value": values[s.key].get(municipality.pk, 0),
        }
        for s in registry.statistics()
    ]


FIGURES_SECONDS = 300  # a bound: every write changes the data version, and so the key


def _figures(scope: str, ids: list[int]) -> dict[str, dict[int, int]]:
    """Every registered figure of these municipalities, computed once per change of the data
    (they are aggregates over all the pacts and commons: a few hundred ms nationally)."""
    version = versions.city_token(ids[0]) if len(ids) == 1 else versions.nation_token()
    key = f"figures:{version}:{scope}"
    values: dict[str, dict[int, int]] | None = cache.get(key)
    if values is None:
        values = versions.kept(lambda: {s.key: s.compute(ids) for s in registry.statistics()})
        cache.set(key, values, FIGURES_SECONDS)
    return values


def district_counts(ids: Iterable[int]) -> dict[int, int]:
    rows = (
        District.objects.filter(municipality_id__in=list(ids))
        .values("municipality_id")
        .annotate(n=Count("id"))
    )
    return {row["municipality_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class SettingChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RegulationEntry:
    change: RegulationChange
    lines: list[SettingChange]


# Settings kept by other apps than this one's model (the model pact's articles, in pacts).
OTHER_SETTINGS = {"clause_template": gettext_lazy("articles of the model pact")}


def _setting_label(field: str) -> str:
    if field in OTHER_SETTINGS:
        return str(OTHER_SETTINGS[field])
    return str(getattr(Municipality._meta.get_field(field), "verbose_name", field))


def _setting_value(field: str, value: Any) -> str:
    if isinstance(value, list):  # a list of titles
        return "«" + "», «".join(str(v) for v in value) + "»" if value else "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    choices = dict(Municipality._meta.get_field(field).flatchoices)  # type: ignore[union-attr]
    return str(choices.get(value, value))


def regulation_history(*, municipality: Municipality, limit: int = 50) -> list[RegulationEntry]:
    """The latest changes of the regulation settings, newest first, each setting in words
    (its label, the value before and after), in one query."""
    entries = []
    for change in RegulationChange.objects.filter(municipality=municipality).select_related(
        "changed_by"
    )[:limit]:
        known = {f.name for f in Municipality._meta.get_fields()} | set(OTHER_SETTINGS)
        lines = [
            SettingChange(
                label=_setting_label(field),
                before=_setting_value(field, values[0]),
                after=_setting_value(field, values[1]),
            )
            for field, values in change.changes.items()
            if field in known
        ]
        entries.append(RegulationEntry(change=change, lines=lines))
    return entries
