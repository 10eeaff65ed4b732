"""The texts of the activity log and of the reports have limits (issue #11, finding 1): the
forms and the services refuse a text one character too long, with the message, and save
nothing. The limits are named in ``cocity.reports.limits``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cocity.reports import forms, limits
from cocity.reports.models import ActivityLog, Report
from cocity.reports.services import activity_log_add, report_periods, report_review, report_submit
from tests.texts import assert_field_holds, over, too_long_message


@pytest.mark.parametrize(
    ("form_class", "name", "limit"),
    [
        (forms.ActivityForm, "activity", limits.ACTIVITY),
        (forms.ActivityForm, "materials", limits.MATERIALS),
        (forms.ReportForm, "results", limits.RESULTS),
        (forms.ReportForm, "problems", limits.PROBLEMS),
        (forms.ReportForm, "next_steps", limits.NEXT_STEPS),
        (forms.ReviewForm, "note", limits.REVIEW_NOTE),
    ],
)
def test_each_form_field_refuses_one_character_over_its_limit(form_class, name, limit):
    assert_field_holds(form_class, name, limit)


@pytest.mark.django_db
class TestServices:
    @pytest.mark.parametrize(
        ("field", "limit"), [("activity", limits.ACTIVITY), ("materials", limits.MATERIALS)]
    )
    def test_an_activity_with_a_text_over_its_limit_is_refused(self, running, field, limit):
        _cast, pact = running
        values = {"activity": "Pulizia", field: over(limit)}

        with pytest.raises(ValidationError) as refused:
            activity_log_add(
                actor=pact.proponent,
                pact=pact,
                date=timezone.localdate(),
                hours=Decimal("2"),
                **values,
            )

        assert refused.value.message_dict == {field: [too_long_message(limit)]}
        assert not ActivityLog.objects.exists()

    @pytest.mark.parametrize(("field", "limit"), list(limits.REPORT_FIELDS.items()))
    def test_a_report_with_a_text_over_its_limit_is_refused(self, running, field, limit):
        _cast, pact = running
        values = {"results": "Aiuole pulite", field: over(limit)}

        with pytest.raises(ValidationError) as refused:
            report_submit(
                actor=pact.proponent,
                pact=pact,
                period_start=report_periods(pact)[0].start,
                **values,
            )

        assert refused.value.message_dict == {field: [too_long_message(limit)]}
        assert not Report.objects.exists()

    def test_the_offices_note_over_its_limit_is_refused(self, running):
        cast, pact = running
        report = report_submit(
            actor=pact.proponent,
            pact=pact,
            period_start=report_periods(pact)[0].start,
            results="Aiuole pulite",
        )

        with pytest.raises(ValidationError) as refused:
            report_review(
                actor=cast.office, report=report, accept=False, note=over(limits.REVIEW_NOTE)
            )

        assert refused.value.message_dict == {"note": [too_long_message(limits.REVIEW_NOTE)]}
        report.refresh_from_db()
        assert (report.status, report.review_note) == (Report.Status.SUBMITTED, "")
