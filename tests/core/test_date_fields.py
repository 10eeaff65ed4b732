"""Saved dates come back (issue #13, item 2): every date and date-time field of the platform
shows its value in the form the browser's picker reads (ISO 8601), in Italian and in English,
so that reopening a form shows the date and saving it again keeps it."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

from cocity.pacts import services
from tests.accounts.factories import UserFactory

# Every forms module of every app, and the filters of the lists.
ROOT = Path(__file__).resolve().parents[2]
FORM_MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for pattern in ("cocity/*/forms.py", "cocity/*/filters.py", "cocity/*/auth_forms.py")
    for path in ROOT.glob(pattern)
)
DAY = dt.date(2027, 3, 1)
MOMENT = dt.datetime(2027, 3, 1, 18, 30)


def date_fields():
    """Every (form, field) of the project whose widget is a browser date or date-time picker."""
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for form_class in vars(module).values():
            if not (inspect.isclass(form_class) and issubclass(form_class, forms.BaseForm)):
                continue
            for field_name, field in form_class.base_fields.items():
                if getattr(field.widget, "input_type", "") in {"date", "datetime-local"}:
                    found.append((form_class, field_name, field))
    return found


def test_the_platform_has_date_fields_to_check():
    assert len(date_fields()) >= 5


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize(
    ("form_class", "name", "field"),
    date_fields(),
    ids=lambda v: getattr(v, "__name__", v if isinstance(v, str) else ""),
)
def test_a_date_is_shown_in_the_pickers_format(form_class, name, field, language):
    value = MOMENT if field.widget.input_type == "datetime-local" else DAY
    expected = "2027-03-01T18:30" if field.widget.input_type == "datetime-local" else "2027-03-01"
    with translation.override(language):
        html = field.widget.render(name, value)

    assert re.search(rf'value="{expected}"', html), html


@pytest.mark.django_db
def test_the_desired_start_is_kept_when_the_step_is_saved_again(client, torino):
    citizen = UserFactory()
    pact = services.pact_create_draft(actor=citizen, municipality=torino, title="Panchine")
    step = f"/torino/pacts/drafts/{pact.pk}/timing/"
    client.force_login(citizen)

    client.post(step, {"desired_start": "2027-03-01", "duration_months": "12"})
    reopened = client.get(step).content.decode()
    assert 'value="2027-03-01"' in reopened

    client.post(step, {"desired_start": "2027-03-01", "duration_months": "24"})
    pact.refresh_from_db()
    assert pact.desired_start == DAY and pact.duration_months == 24
