"""The collaboration pact (patto di collaborazione), one aggregate from proposal to closure.

The status of a pact changes only through ``cocity.pacts.services.pact_transition``, which
checks the transition table in ``cocity.pacts.workflow``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.accounts.fields import done_by
from cocity.accounts.models import Organisation
from cocity.commons.models import Commons
from cocity.core.storage import RandomName, private_storage
from cocity.municipalities.models import Municipality


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")  # private to the proponent
    SUBMITTED = "submitted", _("Submitted")  # the office checks completeness
    INCOMPLETE = "incomplete", _("Incomplete")  # waiting for the proponent; clock paused
    CONSULTATION = "consultation", _("Public consultation")  # observations and adhesions
    EVALUATION = "evaluation", _("Evaluation")  # the office (and departments) assess it
    CO_DESIGN = "co_design", _("Co-design")  # proponents and city write the pact together
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")  # complex: the executive
    AWAITING_SIGNATURE = "awaiting_signature", _("Awaiting signatures")  # approved text
    ACTIVE = "active", _("Active")  # signed by every party, running
    SUSPENDED = "suspended", _("Suspended")  # halted by the office, with a reason
    CONCLUDED = "concluded", _("Concluded")  # reached its end date
    TERMINATED = "terminated", _("Terminated")  # ended early (breach, public interest, notice)
    REJECTED = "rejected", _("Rejected")  # not admitted, with reasons
    WITHDRAWN = "withdrawn", _("Withdrawn")  # the proponent gave up before it was active
    ARCHIVED = "archived", _("Archived")  # no reply from the proponent after a request


class Stage(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal")
    CO_DESIGN = "co_design", _("Co-design")
    PACT = "pact", _("Pact")
    CLOSED = "closed", _("Closed")


STAGE_STATUSES: dict[str, tuple[str, ...]] = {
    Stage.PROPOSAL: (Status.SUBMITTED, Status.INCOMPLETE, Status.CONSULTATION, Status.EVALUATION),
    Stage.CO_DESIGN: (Status.CO_DESIGN, Status.AWAITING_APPROVAL, Status.AWAITING_SIGNATURE),
    Stage.PACT: (Status.ACTIVE, Status.SUSPENDED),
    Stage.CLOSED: (
        Status.CONCLUDED,
        Status.TERMINATED,
        Status.REJECTED,
        Status.WITHDRAWN,
        Status.ARCHIVED,
    ),
}


class Category(models.Model):
    """A category of pact in a municipality's regulation (care of public space, regeneration
    of a building, use of an underused space…)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="pact_categories"
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["municipality", "position", "name"]
        verbose_name = _("pact category")
        verbose_name_plural = _("pact categories")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="category_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name


class Pact(models.Model):
    class Complexity(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary")
        COMPLEX = "complex", _("Complex")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="pacts", verbose_name=_("municipality")
    )
    # Protocol-like number given at submission (TO-2026-0042); empty while a draft.
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pacts",
        verbose_name=_("category"),
    )
    complexity = models.CharField(
        _("ordinary or complex"),
        max_length=10,
        choices=Complexity.choices,
        default=Complexity.ORDINARY,
    )
    commons = models.ForeignKey(
        Commons,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pacts",
        verbose_name=_("commons"),
    )
    # A place not (yet) in the catalogue, pinned by the proponent.
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    place_lon = models.FloatField(null=True, blank=True)
    place_lat = models.FloatField(null=True, blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    activities = models.TextField(_("activities"), blank=True)
    people_involved = models.TextField(_("people and organisations involved"), blank=True)
    support_requested = models.TextField(_("support asked of the city"), blank=True)
    desired_start = models.DateField(_("desired start"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Incremented by every change of status: a form that saw an older version is refused.
    version = models.PositiveIntegerField(default=1)
    proponent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposed_pacts",
        verbose_name=_("proponent"),
    )
    proponent_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pacts",
        verbose_name=_("on behalf of"),
    )
    renewal_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("renewal of"),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The office's clock for the current step: when it started and how long it was paused
    # (while incomplete). Deadlines are these plus the municipality's days, read at query time.
    clock_started_at = models.DateTimeField(null=True, blank=True)
    clock_paused = models.DurationField(null=True, blank=True)
    consultation_ends_on = models.DateField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True, db_index=True)
    signed_text_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("pact")
        verbose_name_plural = _("pacts")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"],
                condition=~models.Q(number=""),
                name="pact_unique_number",
            ),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "status", "-submitted_at", "-id"], name="pact_city_status"
            ),
            models.Index(fields=["municipality", "-submitted_at", "-id"], name="pact_city_recent"),
            # The API's order: imported pacts without a submission sort by their creation.
            models.Index(
                F("municipality"),
                Coalesce("submitted_at", "created_at").desc(),
                F("id").desc(),
                name="pact_city_sort_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('draft')} · {self.title}"

    def get_absolute_url(self) -> str:
        return self.url_for(self.municipality.slug)

    @property
    def starts_later(self) -> bool:
        """Signed by every party before its term begins (the desired start is later): active,
        but activities are recorded only from ``start_date``."""
        return (
            self.status == Status.ACTIVE
            and self.start_date is not None
            and self.start_date > timezone.localdate()
        )

    @property
    def confirmed_supports(self) -> list[Support]:
        """What the city provides, as the office confirmed it (the signed text, the public
        page, the PDF); supports a party asked for wait in the workspace. Uses the prefetched
        supports when there are."""
        return [s for s in self.supports.all() if s.status == Support.Status.CONFIRMED]

    @property
    def renewable(self) -> bool:
        """Active or concluded: the office may open its renewal (the statuses the row
        ``renew`` of the workflow starts from)."""
        return self.status in (Status.ACTIVE, Status.CONCLUDED)

    def url_for(self, city: str) -> str:
        if not self.number:
            return reverse("pacts:draft", kwargs={"city": city, "pk": self.pk})
        return reverse("pacts:detail", kwargs={"city": city, "number": self.number})

    @property
    def stage(self) -> str:
        for stage, statuses in STAGE_STATUSES.items():
            if self.status in statuses:
                return stage
        return ""


class ProtocolCounter(models.Model):
    """The last protocol number given in a municipality in a year (locked while incremented)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="protocol_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.year}: {self.last}"


class Party(models.Model):
    """A signatory of the pact: an organisation, a person, or the city."""

    class Role(models.TextChoices):
        PROPONENT = "proponent", _("Proponent")
        CO_SIGNATORY = "co_signatory", _("Co-signatory")
        ADHERENT = "adherent", _("Adherent")
        CITY = "city", _("City")

    class Method(models.TextChoices):
        PLATFORM = "platform", _("In the platform, with the password")
        QUALIFIED = "qualified", _("Qualified digital signature (uploaded file)")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pact_parties",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="pact_parties"
    )
    invited_email = models.EmailField(_("invited e-mail"), blank=True)
    signs = models.BooleanField(_("signs the pact"), default=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signature_method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    # Private to the parties and the city (docs/decisions/0011): stored under a random name
    # outside MEDIA_ROOT, sent by ``cocity.pacts.files``; the uploaded name is kept apart.
    signature_file = models.FileField(
        storage=private_storage, upload_to=RandomName("pacts/signatures"), blank=True
    )
    signature_file_name = models.CharField(max_length=255, blank=True)
    signed_text_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pact", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.display_name(public=False)}"

    def display_name(self, *, public: bool = True) -> str:
        """The name to show. In public, a private citizen is "a citizen" unless they agreed to
        show their name."""
        if self.role == self.Role.CITY:
            return self.pact.municipality.name
        if self.organisation_id:
            return self.organisation.name if self.organisation else ""
        if self.user_id and self.user is not None:
            if not public or self.user.show_name_publicly:
                return self.user.display_name
            return str(_("a citizen"))
        return self.invited_email if not public else str(_("a citizen"))


class Commitment(models.Model):
    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="commitments")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="commitments")
    text = models.TextField(_("commitment"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text[:60]


class Support(models.Model):
    """What the city gives to the pact."""

    class Kind(models.TextChoices):
        FREE_USE = "free_use", _("Free use of space")
        MATERIALS = "materials", _("Materials")
        TOOLS = "tools", _("Tools")
        TRAINING = "training", _("Training")
        INSURANCE = "insurance", _("Insurance")
        FEE_EXEMPTION = "fee_exemption", _("Fee exemption")
        FUNDING = "funding", _("Funding")
        STAFF = "staff", _("Staff")

    class Status(models.TextChoices):
        # Asked by a party: the office confirms or declines it; only confirmed supports are
        # in the signed text and the figures.
        REQUESTED = "requested", _("Asked, waiting for the office")
        CONFIRMED = "confirmed", _("Confirmed by the office")
        DECLINED = "declined", _("Declined by the office")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="supports")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    estimated_value = models.DecimalField(
        _("estimated value (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED
    )
    requested_by = done_by(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("support")
        verbose_name_plural = _("supports")

    def __str__(self) -> str:
        return self.description


class ClauseTemplate(models.Model):
    """An article of a municipality's model pact, which new pacts start from in co-design
    (``{commons}``, ``{duration}``… are filled from the proposal). A municipality without
    rows uses the default articles of ``cocity.pacts.clauses``."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="clause_templates"
    )
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=60)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["municipality", "position"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="clause_template_key"),
        ]
        verbose_name = _("article of the model pact")
        verbose_name_plural = _("articles of the model pact")

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.position}. {self.title}"


class Clause(models.Model):
    """An article of the pact's text; its text lives in versions."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="clauses")
    key = models.CharField(max_length=30)
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("text"))  # the current version's text
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["pact", "position"]
        constraints = [models.UniqueConstraint(fields=["pact", "key"], name="clause_unique_key")]

    def __str__(self) -> str:
        return self.title


class ClauseVersion(models.Model):
    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    author = done_by()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["clause", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "number"], name="clauseversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.clause_id} v{self.number}"


class Observation(models.Model):
    """A public comment during consultation. Hidden observations stay listed as hidden, with
    the office's reason."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="observations")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations"
    )
    text = models.TextField(_("observation"))
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    hidden_by = done_by(blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Adhesion(models.Model):
    """A request to join the pact (adesione), with what the person or group offers."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="adhesions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    offer = models.TextField(_("what you offer"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = done_by(blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.pact_id}"


class Meeting(models.Model):
    """A co-design meeting."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("online link"), blank=True)
    participants = models.TextField(_("participants"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = done_by()

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.pact_id} {self.starts_at:%Y-%m-%d}"


class Opinion(models.Model):
    """A department's opinion asked by the office."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="opinions")
    department = models.CharField(_("department"), max_length=120)
    question = models.TextField(_("question"))
    requested_by = done_by()
    requested_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    favourable = models.BooleanField(_("favourable"), null=True)
    answered_by = done_by(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.department}: {self.pact_id}"


class Attachment(models.Model):
    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    # Sent by ``cocity.pacts.files`` to whoever may see it (docs/decisions/0011): stored under a
    # random name outside MEDIA_ROOT, with the uploaded name apart.
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=RandomName("pacts/attachments")
    )
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    public = models.BooleanField(_("public"), default=True)
    uploaded_by = done_by()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class PactEvent(models.Model):
    """The audit trail: every change of status, and the other facts of a pact's life."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = done_by(blank=True)
    at = models.DateTimeField(db_index=True)
    # How long the pact stayed in ``from_status``: the time of each step, for the medians.
    duration = models.DurationField(null=True, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["pact", "at", "id"], name="pactevent_pact_at")]

    def __str__(self) -> str:
        return f"{self.pact_id} {self.action} {self.from_status}→{self.to_status}"
