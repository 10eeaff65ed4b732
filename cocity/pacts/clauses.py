"""The default clause template of a pact (the articles of Turin's and Bologna's model pacts).

The text is the legal document's own language, Italian, whatever the interface language; each
municipality can adapt it per pact during co-design. ``{…}`` placeholders are filled from the
pact when the clauses are first created."""

from __future__ import annotations

import hashlib
import string
from collections.abc import Iterable
from typing import Any

DEFAULT_TEMPLATE: tuple[tuple[str, str, str], ...] = (
    (
        "object",
        "Oggetto e obiettivi",
        "Il presente patto di collaborazione ha per oggetto la cura, la gestione condivisa e la "
        "rigenerazione del bene comune «{commons}».\n\nObiettivi: {objectives}",
    ),
    (
        "duration",
        "Durata",
        "Il patto ha durata di {duration} mesi a decorrere dall'ultima sottoscrizione o, se "
        "successiva, dalla data di avvio richiesta ({desired_start}). Alla scadenza può essere "
        "rinnovato con le modalità previste dal Regolamento.",
    ),
    (
        "commitments",
        "Impegni delle parti",
        "Le parti si impegnano a svolgere le attività descritte di seguito, secondo i principi di "
        "fiducia reciproca, pubblicità e trasparenza, responsabilità, inclusività e sostenibilità."
        "\n\nAttività previste: {activities}",
    ),
    (
        "supports",
        "Forme di sostegno",
        "Il Comune sostiene la collaborazione con le forme di sostegno elencate nel patto, nei "
        "limiti delle risorse disponibili.",
    ),
    (
        "monitoring",
        "Monitoraggio e rendicontazione",
        "I soggetti civici redigono ogni {report_interval} mesi una relazione sulle attività "
        "svolte, pubblicata sulla piattaforma, con le ore di volontariato, le persone "
        "coinvolte e le risorse impiegate.",
    ),
    (
        "risk",
        "Prevenzione dei rischi e sicurezza",
        "I soggetti civici operano nel rispetto delle norme di sicurezza, utilizzano dispositivi "
        "di protezione adeguati e segnalano tempestivamente al Comune ogni situazione di rischio.",
    ),
    (
        "liability",
        "Responsabilità e assicurazione",
        "I soggetti civici rispondono dei danni eventualmente cagionati a persone o cose nello "
        "svolgimento delle attività. Il Comune può attivare una copertura assicurativa per i "
        "volontari impegnati nel patto.",
    ),
    (
        "disputes",
        "Controversie e conciliazione",
        "Le controversie tra le parti sono sottoposte a un tentativo di conciliazione presso un "
        "comitato composto da un rappresentante di ciascuna parte e da un esperto nominato di "
        "comune accordo.",
    ),
    (
        "changes",
        "Modifiche",
        "Il patto può essere modificato di comune accordo tra le parti, con le stesse forme "
        "previste per la sua sottoscrizione.",
    ),
    (
        "end",
        "Conclusione del patto",
        "Alla scadenza le parti verificano insieme i risultati raggiunti; i beni sono restituiti "
        "nello stato in cui si trovavano, salvo i miglioramenti realizzati.",
    ),
    (
        "termination",
        "Recesso e risoluzione",
        "Il Comune può sospendere o risolvere il patto per grave inadempimento o per motivi di "
        "interesse pubblico; i soggetti civici possono recedere con un preavviso di trenta giorni.",
    ),
    (
        "privacy",
        "Trattamento dei dati personali",
        "I dati personali sono trattati dal Comune ai sensi del Regolamento (UE) 2016/679 per le "
        "sole finalità connesse al patto; il patto è pubblicato senza i dati dei cittadini che non "
        "vi hanno acconsentito.",
    ),
)


# What a template may say in braces, filled from the proposal.
PLACEHOLDERS = (
    "commons",
    "objectives",
    "activities",
    "duration",
    "report_interval",
    "desired_start",
)


def unknown_placeholders(text: str) -> list[str]:
    """The ``{names}`` of ``text`` that no proposal fills (a typo, a brace of the text itself
    should be doubled: ``{{``); a text whose braces do not pair gives ``["{"]``."""
    try:
        names = [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name]
    except ValueError:
        return ["{"]
    return sorted({name for name in names if name not in PLACEHOLDERS})


def municipality_template(municipality: Any) -> list[tuple[str, str, str]]:
    """The articles of the municipality's model pact as (key, title, text): its own, else the
    default ones."""
    from cocity.pacts.models import ClauseTemplate

    rows = ClauseTemplate.objects.filter(municipality=municipality).order_by("position")
    own = [(row.key, row.title, row.text) for row in rows]
    return own or list(DEFAULT_TEMPLATE)


def clause_texts(
    *,
    commons: str,
    objectives: str,
    activities: str,
    duration: int,
    report_interval: int,
    desired_start: str,
    template: Iterable[tuple[str, str, str]] = DEFAULT_TEMPLATE,
) -> list[tuple[str, str, str]]:
    """The articles of a new pact, as (key, title, text), filled from the proposal: the one
    place that fills a template (the pacts' services and the national seeder use it)."""
    values = {
        "commons": commons,
        "objectives": objectives.strip() or "—",
        "activities": activities.strip() or "—",
        "duration": duration,
        "report_interval": report_interval,
        "desired_start": desired_start,
    }
    return [(key, title, text.format(**values)) for key, title, text in template]


def text_hash(
    clauses: Iterable[tuple[str, str]],
    commitments: Iterable[tuple[Any, str]],
    supports: Iterable[tuple[str, str, Any]],
) -> str:
    """SHA-256 of what the parties sign: the articles (title, text) in order, the commitments
    (party key, text) and the supports the office confirmed (kind, description, estimated
    value)."""
    digest = hashlib.sha256()
    for title, text in clauses:
        digest.update(f"{title}\n{text}\n\n".encode())
    for party_id, text in commitments:
        digest.update(f"commitment {party_id}: {text}\n".encode())
    for kind, description, value in supports:
        digest.update(f"support {kind}: {description} ({value})\n".encode())
    return digest.hexdigest()


def pact_text_hash(pact: Any) -> str:
    """``text_hash`` of a saved pact."""
    return text_hash(
        pact.clauses.order_by("position").values_list("title", "text"),
        pact.commitments.order_by("id").values_list("party_id", "text"),
        pact.supports.filter(status="confirmed")
        .order_by("id")
        .values_list("kind", "description", "estimated_value"),
    )
