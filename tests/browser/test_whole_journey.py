"""A new citizen's Torino proposal, from sign-up to an active pact with a recorded activity and
an accepted report, through the pages only, each person doing their part, reading every
e-mail sent on the way (issue #13, done means 1). Only time is moved by hand: the end of the
consultation and the months before the first report."""

import datetime as dt
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from cocity.pacts.models import Pact, Status
from cocity.reports.models import Report
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.support import (
    assert_accessible_at_both_widths,
    login,
    navigate,
    office_action,
    screenshot,
)

ENTITY = re.compile(r"&(#x?[0-9a-fA-F]+|[a-z]+);")


def read(page, expected_to: str) -> list:
    """The messages sent since the last read, each read as its person would: no entity, and
    every link to the site at the address the site answers at."""
    messages = list(mail.outbox)
    mail.outbox.clear()
    for message in messages:
        assert not ENTITY.search(message.subject + message.body), message.body
        for url in re.findall(r"https?://\S+", message.body):
            assert url.startswith(page.base_url), url
        assert message.alternatives, "every message has an HTML part"
    assert any(expected_to in m.to for m in messages), [m.to for m in messages]
    return messages


def test_from_sign_up_to_an_accepted_report(page, cast):
    mail.outbox.clear()
    co_signatory = UserFactory(display_name="Marco Neri", email="marco@example.org")

    # Sign-up, and the verification mail.
    page.goto(page.base_url + "/account/signup/")
    check = assert_accessible_at_both_widths
    check(page, "sign-up")
    page.locator("input[name=email]").fill("giulia@example.org")
    page.get_by_label("Nome e cognome").fill("Giulia Rossi")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    navigate(page, page.locator("form button[type=submit]").last)
    [verification] = read(page, "giulia@example.org")
    link = re.search(r"https?://\S+/account/confirm-email/\S+", verification.body).group(0)
    page.goto(link)
    navigate(page, page.locator("main form button[type=submit]").first)
    page.goto(page.base_url + "/account/login/")
    page.locator("input[name=login]").fill("giulia@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    navigate(page, page.locator("form button[type=submit]").last)

    # The proposal, with a co-signatory.
    page.goto(page.base_url + "/torino/pacts/new/")
    check(page, "proposal, step 1")
    page.get_by_label("Titolo della proposta").fill('Cura dell\'aiuola "Rosa" di via Roma')
    page.get_by_label("Bene comune dal catalogo").select_option(label=cast.commons.name)
    navigate(page, page.get_by_role("button", name="Salva e continua"))
    check(page, "proposal, step 2")
    page.get_by_label("Categoria").select_option(label=cast.category.name)
    page.get_by_label("Obiettivi").fill("Un'aiuola curata")
    page.get_by_label("Attività").fill("Pulizia e piantumazione")
    navigate(page, page.get_by_role("button", name="Salva e continua"))
    check(page, "proposal, step 3")
    page.locator("input[name=invite]").fill(co_signatory.email)
    navigate(page, page.get_by_role("button", name="Salva e continua"))
    read(page, co_signatory.email)  # the invitation
    navigate(page, page.get_by_role("button", name="Salva e continua"))  # support
    check(page, "proposal, step 5")
    page.get_by_label("Durata (mesi)").fill("24")
    navigate(page, page.get_by_role("button", name="Salva e continua"))
    check(page, "proposal, attachments")
    navigate(page, page.get_by_role("link", name="Continua"))  # attachments
    check(page, "proposal, review")
    navigate(page, page.get_by_role("button", name="Invia la proposta"))
    expect(page.get_by_text("Numero di protocollo")).to_be_visible()
    check(page, "receipt")
    pact = Pact.objects.get(title__startswith="Cura dell'aiuola")
    page.reload()  # the receipt again: nothing is submitted twice
    assert Pact.objects.get(pk=pact.pk).events.filter(action="submit").count() == 1

    # The office publishes; the consultation ends; the office admits.
    login(page, cast.office)
    office_action(page, pact.number, "Pubblica per la consultazione")
    read(page, "giulia@example.org")
    Pact.objects.filter(pk=pact.pk).update(
        consultation_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    office_action(page, pact.number, "Chiudi la consultazione")
    office_action(page, pact.number, "Ammetti alla co-progettazione")
    check(page, "the office's pact page")
    page.goto(page.base_url + "/torino/office/pacts/")
    check(page, "the office's worklist")
    read(page, co_signatory.email)

    # The manager approves; everyone who signs is told, with the signing page.
    login(page, cast.manager)
    page.goto(page.base_url + f"/torino/pacts/{pact.number}/workspace/")
    check(page, "the co-design workspace")
    navigate(page, page.get_by_role("button", name="Approva il patto"))
    approval = read(page, "giulia@example.org")
    assert all("/sign/" in m.body for m in approval if m.to != [cast.manager.email])

    # Each party signs from the pact's page.
    for email in ("giulia@example.org", co_signatory.email, cast.manager.email):
        page.context.clear_cookies()
        page.goto(page.base_url + "/account/login/")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(PASSWORD)
        navigate(page, page.locator("form button[type=submit]").last)
        page.goto(page.base_url + f"/torino/pacts/{pact.number}/")
        check(page, f"the pact's page for {email}")
        navigate(page, page.get_by_role("link", name="Firma per").first)
        check(page, f"the signing page for {email}")
        page.locator("label[for=id_read]").click()
        page.get_by_label("La Sua password").fill(PASSWORD)
        navigate(page, page.get_by_role("button", name="Firma", exact=True))
    pact.refresh_from_db()
    assert pact.status == Status.ACTIVE
    read(page, co_signatory.email)  # "the pact is active"

    # Months pass; the citizen records an activity and reports; the office accepts.
    start = timezone.localdate() - dt.timedelta(days=200)
    Pact.objects.filter(pk=pact.pk).update(
        start_date=start, end_date=start + dt.timedelta(days=730)
    )
    login(page, type(co_signatory).objects.get(email="giulia@example.org"))
    page.goto(page.base_url + "/my/pacts/")
    expect(page.get_by_text("Relazione dovuta").first).to_be_visible()
    check(page, "I miei patti")
    page.goto(page.base_url + f"/torino/pacts/{pact.number}/activity/")
    check(page, "the activity log")
    page.get_by_label("Data").fill((start + dt.timedelta(days=10)).isoformat())
    page.get_by_label("Attività svolta").fill("Pulizia dell'aiuola")
    page.get_by_label("Ore di volontariato (in totale)").fill("4")
    navigate(page, page.get_by_role("button", name="Registra", exact=True))
    navigate(page, page.get_by_role("link", name="Periodo").first)
    check(page, "the report")
    page.get_by_label("Risultati").fill("Aiuola pulita ogni settimana")
    navigate(page, page.get_by_role("button", name="Invia la relazione"))
    login(page, cast.office)
    page.goto(page.base_url + "/torino/office/reports/")
    check(page, "the office's reports")
    navigate(page, page.get_by_role("button", name="Accetta").first)
    assert Report.objects.get(pact=pact).status == Report.Status.ACCEPTED

    page.goto(page.base_url + f"/torino/pacts/{pact.number}/")
    check(page, "the active pact at the end of the journey")
    page.goto(page.base_url + "/torino/impact/")
    check(page, "the impact page")
    screenshot(page, "journey-end-it")
