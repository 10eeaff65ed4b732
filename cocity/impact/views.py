"""The impact dashboard of a city and the national observatory (the site's home)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cocity.core.csvsafe import SafeWriter
from cocity.core.versions import nation_token
from cocity.impact import selectors
from cocity.impact.forms import ImpactFilterForm
from cocity.municipalities.city import city_view
from cocity.municipalities.models import Municipality
from cocity.municipalities.selectors import municipality_overview
from cocity.pacts import figures as pact_figures
from cocity.pacts.models import Status

STEP_LABELS = dict(Status.choices)
FUNNEL_LABELS = {
    "proposals": pact_figures.SUBMITTED.label,
    "co_design": pact_figures.ADMITTED.label,
    "signed": pact_figures.SIGNED.label,
}
# What the figures of the dashboard and the observatory count, shown under them.
DEFINITIONS = (
    pact_figures.SUBMITTED,
    pact_figures.ADMITTED,
    pact_figures.SIGNED,
    pact_figures.IN_FORCE,
)
OBSERVATORY_LABELS = {
    "proposals": pact_figures.SUBMITTED.label,
    "signed": pact_figures.SIGNED.label,
    "running": pact_figures.IN_FORCE.label,
    "conversion": gettext_lazy("Conversion (%)"),
    "organisations": gettext_lazy("Organisations"),
    "citizens": gettext_lazy("Citizens"),
    "hours": gettext_lazy("Volunteer hours"),
    "people_reached": gettext_lazy("People reached"),
    "euros_city": gettext_lazy("€ from the city"),
    "euros_citizens": gettext_lazy("€ from citizens"),
    "commons_under_care": gettext_lazy("Commons under care"),
}


def _figures(data: dict[str, Any]) -> dict[str, Any]:
    """The indicators as the charts and the CSV want them: labels instead of codes."""
    return {
        "by_status": [(str(STEP_LABELS.get(s, s)), n) for s, n in data["by_status"]],
        "by_category": [(c or _("No category"), n) for c, n in data["by_category"]],
        "by_district": [(d or _("No district"), n) for d, n in data["by_district"]],
        "signed_by_year": [(str(y), n) for y, n in data["signed_by_year"]],
        "funnel": [(str(FUNNEL_LABELS[k]), n) for k, n in data["funnel"]],
        "median_days": [
            (str(STEP_LABELS.get(s, s)), days, count) for s, days, count in data["median_days"]
        ],
        "median_chart": [
            (str(STEP_LABELS.get(s, s)), days or 0) for s, days, _count in data["median_days"]
        ],
    }


def _csv(rows: list[tuple[Any, ...]], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = SafeWriter(response)  # no formula reaches a spreadsheet (docs/opendata.md)
    for row in rows:
        writer.writerow(row)
    return response


@city_view
@require_GET
def dashboard(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = ImpactFilterForm(request.GET, municipality=municipality)
    valid = form.is_valid()
    filters = form.to_filters() if valid else selectors.Filters()
    data = selectors.city_indicators(municipality=municipality, filters=filters)
    figures = _figures(data)
    programmes = selectors.programme_totals(municipality=municipality)
    if valid and request.GET.get("format") == "csv":
        rows: list[tuple[Any, ...]] = [("indicator", "item", "value")]
        for key in ("by_status", "by_category", "by_district", "signed_by_year", "funnel"):
            rows += [(key, label, value) for label, value in figures[key]]
        rows += [
            ("median_days", label, days if days is not None else "")
            for label, days, _count in figures["median_days"]
        ]
        for key in (
            "organisations",
            "citizens",
            "hours",
            "people_reached",
            "euros_city",
            "euros_city_supports",
            "euros_city_programmes",
            "euros_citizens",
            "commons_under_care",
            "running",
            "conversion",
        ):
            rows.append((key, "", data[key] if data[key] is not None else ""))
        rows += [("programme", p["name"], p["euros"]) for p in programmes]
        return _csv(rows, f"impact-{municipality.slug}.csv")
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "impact/dashboard.html",
        {
            "form": form,
            "data": data,
            "figures": figures,
            "in_force": pact_figures.IN_FORCE,
            "definitions": DEFINITIONS,
            "programmes": programmes,
            "csv_query": query.urlencode(),
        },
        status=200 if valid else 400,
    )


@require_GET
def observatory(request: HttpRequest) -> HttpResponse:
    """The national observatory: every municipality side by side, sortable, with the total."""
    data = selectors.observatory()
    sort = request.GET.get("sort", "name")
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    rows = list(data["rows"])
    if key in OBSERVATORY_LABELS or key == "name":
        rows.sort(
            key=lambda r: (
                (r[key] is None, r[key] if r[key] is not None else 0)
                if key != "name"
                else r["name"]
            ),
            reverse=descending,
        )
    else:
        sort, key, descending = "name", "name", False
    if request.GET.get("format") == "csv":
        columns = ["name", "region", *OBSERVATORY_LABELS]
        table = [tuple(columns)] + [
            tuple(r[c] if r[c] is not None else "" for c in columns) for r in rows
        ]
        table.append(
            (
                "total",
                "",
                *(
                    data["total"][c] if data["total"][c] is not None else ""
                    for c in OBSERVATORY_LABELS
                ),
            )
        )
        return _csv(table, "observatory.csv")
    headers = [
        {
            "key": k,
            "label": label,
            "sort": k if not (key == k and not descending) else f"-{k}",
            "current": key == k,
            "descending": descending,
        }
        for k, label in OBSERVATORY_LABELS.items()
    ]
    overview = municipality_overview()
    return render(
        request,
        "impact/observatory.html",
        {
            # The headline figures that each app registers (commons, pacts by stage…)…
            "rows": overview,
            "labels": overview[0]["figures"] if overview else [],
            # …and the impact indicators side by side.
            "indicators": rows,
            "definitions": DEFINITIONS,
            "total": data["total"],
            "columns": headers,
            "sort": sort,
            "data_version": nation_token(),
            "name_sort": "-name" if key == "name" and not descending else "name",
            "name_current": key == "name",
            "descending": descending,
        },
    )
