"""Demo people, organisations and staff. Everyone shares one password, printed by
``make run`` (and ``manage.py demo_accounts``)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker

from cocity.accounts.models import Organisation, StaffRole, User
from cocity.accounts.services import (
    membership_add,
    organisation_create,
    staff_role_grant,
    user_create,
)
from cocity.municipalities.models import Municipality

DEMO_PASSWORD = "cocity-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    description: str
    platform_admin: bool = False
    roles: tuple[tuple[str, str, str], ...] = ()  # (city slug, role, department)


DEMO_ACCOUNTS = (
    DemoAccount("cittadina@example.org", "Giulia Rossi", "citizen"),
    DemoAccount(
        "associazione@example.org",
        "Marco Bianchi",
        "representative of Associazione Amici della Dora (Torino)",
    ),
    DemoAccount(
        "ufficio.torino@example.org",
        "Ufficio Beni Comuni Torino",
        "Torino: commons office",
        roles=(("torino", StaffRole.Role.OFFICE, ""),),
    ),
    DemoAccount(
        "dirigente.torino@example.org",
        "Laura Ferrero",
        "Torino: manager (dirigente)",
        roles=(("torino", StaffRole.Role.MANAGER, ""),),
    ),
    DemoAccount(
        "giunta.torino@example.org",
        "Paolo Gallo",
        "Torino: executive (giunta)",
        roles=(("torino", StaffRole.Role.EXECUTIVE, ""),),
    ),
    DemoAccount(
        "verde.torino@example.org",
        "Chiara Conti",
        "Torino: department (Verde pubblico)",
        roles=(("torino", StaffRole.Role.DEPARTMENT, "Verde pubblico"),),
    ),
    DemoAccount(
        "ufficio.reggio@example.org",
        "Ufficio Città Collaborativa Reggio Emilia",
        "Reggio Emilia: commons office and administrator",
        roles=(
            ("reggio-emilia", StaffRole.Role.OFFICE, ""),
            ("reggio-emilia", StaffRole.Role.ADMIN, ""),
        ),
    ),
    DemoAccount(
        "ufficio.latina@example.org",
        "Ufficio Beni Comuni Latina",
        "Latina: commons office",
        roles=(("latina", StaffRole.Role.OFFICE, ""),),
    ),
    # Each city signs its pacts through a manager (or the executive): every demo city has one.
    DemoAccount(
        "dirigente.reggio@example.org",
        "Elena Ferri",
        "Reggio Emilia: manager (dirigente)",
        roles=(("reggio-emilia", StaffRole.Role.MANAGER, ""),),
    ),
    DemoAccount(
        "dirigente.latina@example.org",
        "Marco De Santis",
        "Latina: manager (dirigente)",
        roles=(("latina", StaffRole.Role.MANAGER, ""),),
    ),
    DemoAccount(
        "admin@example.org", "Amministrazione piattaforma", "platform admin", platform_admin=True
    ),
)

DEMO_ORGANISATIONS = (
    # name, kind, tax code, informal, city slug, representative e-mail
    (
        "Associazione Amici della Dora",
        Organisation.Kind.ASSOCIATION,
        "97812340011",
        False,
        "torino",
        "associazione@example.org",
    ),
    ("Comitato di quartiere Borgo Vittoria", Organisation.Kind.COMMITTEE, "", True, "torino", None),
    (
        "Istituto Comprensivo Regio Parco",
        Organisation.Kind.SCHOOL,
        "97601230018",
        False,
        "torino",
        None,
    ),
    (
        "Cooperativa Sociale Il Ponte",
        Organisation.Kind.COOPERATIVE,
        "10234560015",
        False,
        "torino",
        None,
    ),
    (
        "Orti Condivisi Reggiani APS",
        Organisation.Kind.THIRD_SECTOR,
        "91123450354",
        False,
        "reggio-emilia",
        None,
    ),
    (
        "Gruppo informale Latina Scalo Pulita",
        Organisation.Kind.INFORMAL_GROUP,
        "",
        True,
        "latina",
        None,
    ),
)


def seed(*, rng: random.Random, extra_citizens: int = 12) -> None:
    cities = {m.slug: m for m in Municipality.objects.all()}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first() or user_create(
            email=account.email,
            password=DEMO_PASSWORD,
            display_name=account.name,
            email_verified=True,
            is_platform_admin=account.platform_admin,
            show_name_publicly=True,
        )
        for slug, role, department in account.roles:
            if slug in cities:
                staff_role_grant(
                    actor=None,
                    municipality=cities[slug],
                    email=user.email,
                    role=role,
                    department=department,
                )

    faker = Faker("it_IT")
    faker.seed_instance(rng.randrange(2**32))
    citizens = []
    for index in range(extra_citizens):
        name = faker.name()
        email = f"cittadino{index + 1:02d}@example.org"
        user = User.objects.filter(email=email).first() or user_create(
            email=email,
            password=DEMO_PASSWORD,
            display_name=name,
            email_verified=True,
            show_name_publicly=rng.random() < 0.5,
        )
        citizens.append(user)

    for name, kind, tax_code, informal, slug, rep_email in DEMO_ORGANISATIONS:
        if Organisation.objects.filter(name=name).exists():
            continue
        representative = User.objects.get(email=rep_email) if rep_email else rng.choice(citizens)
        organisation = organisation_create(
            user=representative,
            name=name,
            kind=kind,
            tax_code=tax_code,
            informal=informal,
            municipality=cities.get(slug),
            description=faker.paragraph(nb_sentences=2),
        )
        for member in rng.sample(citizens, k=3):
            if member != representative:
                membership_add(organisation=organisation, user=member)
