"""What each domain app contributes to the shared pages (after Decidim's components): entries of
a city's menu and headline figures of the national and city views.

Apps register in their ``AppConfig.ready``; the pages ask here and know no app by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise
    url_name: str  # reversed with the city's slug as ``city``
    order: int = 100
    area: str = "city"  # "city" (public menu) or "office" (staff dashboard)


@dataclass(frozen=True)
class Statistic:
    """A headline figure. ``compute`` takes municipality ids and returns a value for each, in a
    fixed number of queries whatever the number of municipalities."""

    key: str
    label: str | Promise
    compute: Callable[[Iterable[int]], dict[int, int]]
    order: int = 100
    counts: str | Promise = ""  # one line saying what is counted, shown with the figure


@dataclass(frozen=True)
class HomeSection:
    """A block of a city's home page: a template and the context it needs (a selector)."""

    key: str
    template: str
    context: Callable[[Any], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class PersonalItem:
    """One line of a person's page ("I miei patti"): a pact or a duty about one, with what is
    expected of the person and where to do it."""

    group: str  # "todo" (something to do), "waiting" (in progress), "party" (their pacts)
    title: str
    reference: str  # the pact's number, or a word for a draft
    city: str
    status: str | Promise
    text: str | Promise  # where it stands and what is expected of the person
    link: str
    link_label: str | Promise


PERSONAL_GROUPS = ("todo", "waiting", "party")


@dataclass(frozen=True)
class PersonalSection:
    """What an app adds to a person's page: ``items(user)`` in a fixed number of queries."""

    key: str
    items: Callable[[Any], Iterable[PersonalItem]]
    order: int = 100


_menu: dict[str, MenuEntry] = {}
_personal: dict[str, PersonalSection] = {}
_sections: dict[str, HomeSection] = {}
_pact_sections: dict[str, HomeSection] = {}
_rules_sections: dict[str, HomeSection] = {}
_statistics: dict[str, Statistic] = {}


def register_menu_entry(entry: MenuEntry) -> None:
    _menu[entry.url_name] = entry


def register_statistic(statistic: Statistic) -> None:
    _statistics[statistic.key] = statistic


def register_home_section(section: HomeSection) -> None:
    _sections[section.key] = section


def _rendered(sections: dict[str, HomeSection], obj: Any) -> list[dict[str, Any]]:
    """Each section, in order, as its template and its context for ``obj``."""
    return [
        {"template": s.template, **s.context(obj)}
        for s in sorted(sections.values(), key=lambda s: s.order)
    ]


def home_sections(municipality: Any) -> list[dict[str, Any]]:
    """The sections of a city's home, each as its template and its context."""
    return _rendered(_sections, municipality)


def register_pact_section(section: HomeSection) -> None:
    """A block of a pact's page contributed by another app (its context gets the pact)."""
    _pact_sections[section.key] = section


def pact_sections(pact: Any) -> list[dict[str, Any]]:
    return _rendered(_pact_sections, pact)


def register_rules_section(section: HomeSection) -> None:
    """A block of a city's public page of rules contributed by another app (its context gets
    the municipality): the model pact's articles, from pacts."""
    _rules_sections[section.key] = section


def rules_sections(municipality: Any) -> list[dict[str, Any]]:
    return _rendered(_rules_sections, municipality)


def register_personal_section(section: PersonalSection) -> None:
    _personal[section.key] = section


def personal_items(user: Any) -> dict[str, list[PersonalItem]]:
    """A person's page: the items of every app, by group, in the apps' order."""
    groups: dict[str, list[PersonalItem]] = {group: [] for group in PERSONAL_GROUPS}
    for section in sorted(_personal.values(), key=lambda s: s.order):
        for item in section.items(user):
            groups[item.group].append(item)
    return groups


def menu_entries(area: str = "city") -> list[MenuEntry]:
    return sorted((e for e in _menu.values() if e.area == area), key=lambda e: e.order)


def menu_links(area: str, city: str) -> list[dict[str, object]]:
    """The entries of an area as label and URL for one city."""
    from django.urls import reverse

    return [
        {"label": e.label, "url": reverse(e.url_name, kwargs={"city": city})}
        for e in menu_entries(area)
    ]


def statistics() -> list[Statistic]:
    return sorted(_statistics.values(), key=lambda s: s.order)
