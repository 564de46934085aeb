"""Company ladders: companies, their ladders, levels and title aliases (DESIGN §2).

Single-row rules live in ``clean()``; rules across rows are in ``ladder.rules`` and are applied by the
services; the constraints below are the authority and carry the rule book's codes and messages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from ladder import rules
from ladder.choices import Anchor, SizeBand, Track
from ladder.engine.normalize import normalize_code, normalize_title
from ladder.models.accounts import Organization
from ladder.models.base import TimestampedModel, check_rule, unique_rule
from ladder.models.frameworks import Framework, ReferenceLevel

# ``/translate?source=reference`` means the framework itself, so no company may be called that.
RESERVED_SLUG = "reference"


# --- Company ladders ------------------------------------------------------------------------------


class Company(TimestampedModel):
    """A company whose ladders are kept; private to its organization unless ``is_public``."""

    RULE_FIELDS = {"slug_taken": "slug", "duplicate_external_id": "external_id"}

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="companies")
    # Unique within the organization only, so that a tenant can never learn another tenant's private
    # slugs by trying to create them (docs/security.md); ``tenancy.readable_company`` resolves a slug.
    slug = models.SlugField(max_length=64, db_index=True)
    name = models.CharField(max_length=200)
    size_band = models.CharField(max_length=16, choices=SizeBand.choices, blank=True)
    is_public = models.BooleanField(default=False, help_text="Readable by every organization.")
    external_id = models.CharField(max_length=200, blank=True, null=True)
    sources = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Where the ladder comes from, for catalog companies: a list of {url, title, read_on}.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    archived_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Set when deleted through the API: hidden, restorable."
    )

    class Meta:
        ordering = ["slug"]
        verbose_name_plural = "companies"
        constraints = [
            unique_rule("company_slug_unique_per_org", "slug_taken", ["organization", "slug"]),
            # Every tenant reads the public companies, so among them a slug names one company.
            unique_rule("company_slug_unique_among_public", "slug_taken", ["slug"], Q(is_public=True)),
            unique_rule(
                "company_external_id_unique_per_org",
                "duplicate_external_id",
                ["organization", "external_id"],
                Q(external_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.external_id = (self.external_id or "").strip() or None
        if self.slug == RESERVED_SLUG:
            raise ValidationError(rules.django_errors([rules.error("reserved", "slug", slug=self.slug)]))


class Ladder(TimestampedModel):
    """A company's ladder for one framework. ``version`` grows on every change (ETags, cache keys)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="ladders")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="ladders")
    version = models.PositiveIntegerField(default=1, editable=False)
    archived_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Set when deleted through the API: hidden, restorable."
    )
    next_effective_on = models.DateField(
        null=True, blank=True, editable=False, help_text="The date of the earliest scheduled version not yet applied."
    )

    class Meta:
        ordering = ["company", "framework"]
        constraints = [
            unique_rule("ladder_unique_per_company_framework", "duplicate_ladder", ["company", "framework"]),
        ]

    def __str__(self) -> str:
        return f"{self.company} — {self.framework}"


class Level(TimestampedModel):
    """One rung of a company's ladder, anchored to a reference level.

    ``code`` is stored as written ("63-64", "L5a"); ``code_canonical`` ("6364", "L5A") is what
    makes codes unique and what lookups compare.

    A level is identified by its ``code`` where it has one, and by its normalised title otherwise:
    several levels may share a title ("Product Manager" from IC3 to IC7) as long as each carries a
    distinct code. ``scale_from``/``scale_to`` give the interval it covers on the reference scale;
    without them it covers its anchor's position ± 0.5.
    """

    RULE_FIELDS = {"duplicate_code": "code", "duplicate_title": "code", "duplicate_external_id": "external_id"}

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="levels")
    title = models.CharField(max_length=200)
    title_normalized = models.CharField(max_length=400, editable=False, db_index=True)
    code = models.CharField(max_length=32, blank=True, null=True, help_text="Kept exactly as the company writes it.")
    code_canonical = models.CharField(
        max_length=64,
        blank=True,
        null=True,
        editable=False,
        help_text="The code's canonical form (no spaces, dashes or dots; upper case): what uniqueness and "
        "matching use.",
    )
    track = models.CharField(max_length=16, choices=Track.choices, default=Track.IC)
    rank = models.PositiveIntegerField(help_text="Order in the ladder; higher is more senior.")
    reference_level = models.ForeignKey(
        ReferenceLevel, on_delete=models.PROTECT, related_name="levels", null=True, blank=True
    )
    anchor = models.CharField(max_length=16, choices=Anchor.choices, default=Anchor.EXPLICIT)
    scale_from = models.FloatField(null=True, blank=True)
    scale_to = models.FloatField(null=True, blank=True)
    description = models.TextField(blank=True)
    external_id = models.CharField(max_length=200, blank=True, null=True)
    is_active = models.BooleanField(default=True)
    provenance = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Where a catalog level comes from: {sources: [{url, read_on, claim}], note, disagreements}.",
    )
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Grows on every change (ETag).")

    class Meta:
        ordering = ["ladder", "rank", "id"]
        constraints = [
            # "63-64" and "63 64" are one code: uniqueness holds for the canonical form.
            unique_rule(
                "level_code_unique_per_ladder",
                "duplicate_code",
                ["ladder", "code_canonical"],
                Q(code_canonical__isnull=False),
            ),
            # Two uncoded active levels may not share a normalised title: nothing would tell them apart.
            unique_rule(
                "level_uncoded_title_unique_per_ladder",
                "duplicate_title",
                ["ladder", "title_normalized"],
                Q(code__isnull=True, is_active=True),
            ),
            unique_rule(
                "level_external_id_unique_per_ladder",
                "duplicate_external_id",
                ["ladder", "external_id"],
                Q(external_id__isnull=False),
            ),
            check_rule(
                "level_scale_from_below_scale_to",
                "invalid_span",
                Q(scale_from__isnull=True, scale_to__isnull=True)
                | Q(scale_from__isnull=False, scale_to__isnull=False, scale_from__lt=F("scale_to")),
            ),
            models.CheckConstraint(condition=~Q(code=""), name="level_code_not_blank"),
            check_rule("level_title_not_blank", "empty_title", ~Q(title_normalized="")),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})" if self.code else self.title

    def normalize_fields(self) -> None:
        """Derive the stored normalised title and canonical code (call before any save or bulk write)."""
        self.title = (self.title or "").strip()
        self.title_normalized = normalize_title(self.title)
        self.code = self.code.strip() if self.code and self.code.strip() else None
        self.code_canonical = normalize_code(self.code) or None if self.code else None
        self.external_id = (self.external_id or "").strip() or None

    def save(self, *args, **kwargs) -> None:
        self.normalize_fields()
        super().save(*args, **kwargs)

    @property
    def interval(self) -> tuple[float, float] | None:
        """The interval on the reference scale, explicit or derived from the anchor."""
        if self.scale_from is not None and self.scale_to is not None:
            return (self.scale_from, self.scale_to)
        if self.reference_level is not None:
            return (self.reference_level.position - 0.5, self.reference_level.position + 0.5)
        return None

    def clean(self) -> None:
        """Single-row rules; the rules across the ladder's rows are ``rules.level_errors``."""
        super().clean()
        self.normalize_fields()
        errors = rules.title_errors(self.title) + rules.span_errors(self.scale_from, self.scale_to)
        if self.ladder_id and self.reference_level_id:
            errors += rules.anchor_errors(
                self.reference_level.framework_id, self.ladder.framework_id, "reference_level"
            )
        if errors:
            raise ValidationError(rules.django_errors(errors))


class TitleAlias(TimestampedModel):
    """Another title for a level ("Sr. PM", a former title), valid from/until optional dates.

    ``valid_to`` is exclusive: an alias with ``valid_to`` 2024-01-01 was last valid on 2023-12-31.
    ``ladder`` repeats the level's ladder so that the database can keep a current alias's normalised
    title unique within the ladder.
    """

    RULE_FIELDS = {"duplicate_alias": "title"}

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="aliases")
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="aliases", editable=False)
    title = models.CharField(max_length=200)
    title_normalized = models.CharField(max_length=400, editable=False, db_index=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True, help_text="Exclusive: the first day it no longer holds.")
    external_id = models.CharField(max_length=200, blank=True, null=True)
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Grows on every change (ETag).")

    class Meta:
        ordering = ["level", "title"]
        verbose_name = "title alias"
        verbose_name_plural = "title aliases"
        constraints = [
            unique_rule(
                "alias_current_title_unique_per_ladder",
                "duplicate_alias",
                ["ladder", "title_normalized"],
                Q(valid_to__isnull=True),
            ),
            check_rule(
                "alias_valid_from_before_valid_to",
                "invalid_window",
                Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_from__lt=F("valid_to")),
            ),
            check_rule("alias_title_not_blank", "empty_title", ~Q(title_normalized="")),
        ]

    def __str__(self) -> str:
        return self.title

    def normalize_fields(self) -> None:
        """Derive the stored normalised title and the ladder from the level."""
        self.title = (self.title or "").strip()
        self.title_normalized = normalize_title(self.title)
        self.external_id = (self.external_id or "").strip() or None
        if self.level_id:
            self.ladder_id = self.level.ladder_id  # follows the level, also when an alias moves

    def save(self, *args, **kwargs) -> None:
        self.normalize_fields()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Single-row rules; the rules across the ladder's rows are ``rules.alias_errors``."""
        super().clean()
        self.normalize_fields()
        errors = rules.title_errors(self.title) + rules.window_errors(self.valid_from, self.valid_to)
        if errors:
            raise ValidationError(rules.django_errors(errors))
