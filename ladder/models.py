"""The ladder data model (DESIGN §2).

Invariants live here twice on purpose: as database constraints wherever SQL can express them (so no
code path can break them), and as ``clean()`` validation (so a person gets a readable message instead
of an IntegrityError). Rules that span rows of other tables (an anchor from the ladder's framework, an
alias naming another level's title) are checked in Python only.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey

from ladder import directory
from ladder.choices import Anchor, CompetencyKind, KeyRole, MemberRole, SizeBand, Track
from ladder.db import CurrentTransactionId
from ladder.engine.normalize import normalize_code, normalize_title


def bump_versions(queryset) -> int:
    """Mark rows changed in one UPDATE: a new ``version`` (ETags, cache keys) and ``updated_at`` (sync)."""
    directory.changed()  # the per-process lookups hold versions, and an UPDATE sends no signal
    return queryset.update(version=F("version") + 1, updated_at=Now())


class TimestampedModel(models.Model):
    """Adds creation and last-change times to every table."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None) -> None:
        # A title that clean() refused also skips the constraints on its normalised form, so that the
        # answer names the problem once, on the field the client sent.
        exclude = set(exclude or ())
        if "title" in exclude:
            exclude.add("title_normalized")
        if "code" in exclude:
            exclude.add("code_canonical")  # the same, for a code and its canonical form
        super().validate_constraints(exclude=exclude)


# --- Reference framework ------------------------------------------------------------------------


class FrameworkManager(models.Manager):
    def get_by_natural_key(self, slug: str) -> Framework:
        return self.get(slug=slug)


class Framework(TimestampedModel):
    """A reference ladder for one job family (e.g. ``product-management``): the common scale."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    objects = FrameworkManager()

    class Meta:
        ordering = ["slug"]
        # Frameworks are shared by every tenant. Superusers may change them, and so may users given
        # this permission (platform operators); being staff, or an admin of an organization, is not enough.
        permissions = [("operate_frameworks", "Can change the shared reference frameworks")]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class ReferenceLevelManager(models.Manager):
    def get_by_natural_key(self, framework_slug: str, slug: str) -> ReferenceLevel:
        return self.get(framework__slug=framework_slug, slug=slug)


class ReferenceLevel(TimestampedModel):
    """One rung of a framework, at an integer position on the reference scale.

    ``focus_hands_on`` is the share (in percent) of hands-on product work expected at this rung; the
    rest is soft skills (communication, leadership, alignment).
    """

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="reference_levels")
    slug = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    track = models.CharField(max_length=16, choices=Track.choices)
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(100)])
    focus_hands_on = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(100)], help_text="Percent of hands-on work; the rest is soft skills."
    )
    summary = models.TextField(blank=True)
    responsibilities = models.JSONField(default=list, blank=True, help_text="A list of short sentences.")
    common_aliases = models.JSONField(default=list, blank=True, help_text="Other titles used for this rung.")
    reports_to = models.CharField(max_length=200, blank=True)
    promotes_to = models.ManyToManyField("self", symmetrical=False, related_name="promoted_from", blank=True)

    objects = ReferenceLevelManager()

    class Meta:
        ordering = ["framework", "position", "track"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="reflevel_slug_unique_per_framework"),
            models.CheckConstraint(condition=Q(position__gte=1), name="reflevel_position_positive"),
            models.CheckConstraint(condition=Q(focus_hands_on__lte=100), name="reflevel_focus_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"

    def natural_key(self) -> tuple[str, str]:
        return (self.framework.slug, self.slug)

    natural_key.dependencies = ["ladder.framework"]

    @property
    def focus_soft(self) -> int:
        return 100 - self.focus_hands_on

    def save(self, *args, **kwargs) -> None:
        previous = (
            ReferenceLevel.objects.filter(pk=self.pk).values_list("position", "track").first() if self.pk else None
        )
        super().save(*args, **kwargs)
        # Snapshots of the framework are cached by its ``updated_at``: a changed rung must renew it.
        Framework.objects.filter(pk=self.framework_id).update(updated_at=timezone.now())
        if previous is not None and previous != (self.position, self.track):
            # Company levels anchored here without a span of their own move on the scale with it:
            # their ladders get a new version (ETags and translation caches change too) and a history
            # entry saying why, whichever path changed the rung (API, admin or a command).
            from ladder.services import record_reference_level_move

            record_reference_level_move(self, previous)

    def delete(self, *args, **kwargs):
        framework_id = self.framework_id
        result = super().delete(*args, **kwargs)
        Framework.objects.filter(pk=framework_id).update(updated_at=timezone.now())
        return result

    def clean(self) -> None:
        super().clean()
        for field in ("responsibilities", "common_aliases"):
            value = getattr(self, field)
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                raise ValidationError({field: "Must be a list of strings."})


class Competency(TimestampedModel):
    """A skill assessed along a framework (e.g. product discovery, stakeholder alignment)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    slug = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=CompetencyKind.choices)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "kind", "name"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="competency_slug_unique_per_framework"),
        ]

    def __str__(self) -> str:
        return self.name


class ExpectedProficiency(TimestampedModel):
    """How well a reference level is expected to master a competency, from 1 (aware) to 5 (expert)."""

    reference_level = models.ForeignKey(ReferenceLevel, on_delete=models.CASCADE, related_name="proficiencies")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="proficiencies")
    proficiency = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["reference_level", "competency"]
        verbose_name_plural = "expected proficiencies"
        constraints = [
            models.UniqueConstraint(fields=["reference_level", "competency"], name="proficiency_unique"),
            models.CheckConstraint(
                condition=Q(proficiency__gte=1, proficiency__lte=5), name="proficiency_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency} {self.proficiency}/5"

    def clean(self) -> None:
        super().clean()
        if (
            self.reference_level_id
            and self.competency_id
            and self.reference_level.framework_id != self.competency.framework_id
        ):
            raise ValidationError({"competency": "The competency belongs to another framework."})


# --- Tenancy --------------------------------------------------------------------------------------


class Organization(TimestampedModel):
    """The tenant: an HR platform's customer, or the platform itself. Owns companies and API keys."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Membership(TimestampedModel):
    """A person's role in an organization (viewer, editor or admin)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=MemberRole.choices, default=MemberRole.VIEWER)

    class Meta:
        ordering = ["organization", "user"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class ApiKey(AbstractAPIKey):
    """An organization's API key. Only a hash is stored; the key itself is shown once, at creation."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_keys")
    role = models.CharField(max_length=8, choices=KeyRole.choices, default=KeyRole.READ)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"

    @property
    def can_write(self) -> bool:
        return self.role == KeyRole.WRITE


# ``/translate?source=reference`` means the framework itself, so no company may be called that.
RESERVED_SLUG = "reference"


# --- Company ladders ------------------------------------------------------------------------------


class Company(TimestampedModel):
    """A company whose ladders are kept; private to its organization unless ``is_public``."""

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
            models.UniqueConstraint(
                fields=["organization", "slug"],
                name="company_slug_unique_per_org",
                violation_error_code="unique",
                violation_error_message="Your organization already has a company with this slug.",
            ),
            # Every tenant reads the public companies, so among them a slug names one company.
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(is_public=True),
                name="company_slug_unique_among_public",
                violation_error_code="unique",
                violation_error_message="A public company already has this slug; public slugs are unique.",
            ),
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                condition=Q(external_id__isnull=False),
                name="company_external_id_unique_per_org",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def validate_constraints(self, exclude=None) -> None:
        # The per-organization slug rule spans two columns, so Django reports it for the row as a whole;
        # it concerns the slug the client sent, so name that field.
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            moved = [e for e in errors.get(NON_FIELD_ERRORS, []) if e.code == "unique"]
            if moved:
                errors[NON_FIELD_ERRORS] = [e for e in errors[NON_FIELD_ERRORS] if e not in moved]
                if not errors[NON_FIELD_ERRORS]:
                    del errors[NON_FIELD_ERRORS]
                errors.setdefault("slug", []).extend(moved)
            raise ValidationError(errors) from None

    def clean(self) -> None:
        super().clean()
        self.external_id = (self.external_id or "").strip() or None
        if self.slug == RESERVED_SLUG:
            raise ValidationError(
                {
                    "slug": ValidationError(
                        f'"{RESERVED_SLUG}" names the framework itself in translations.', code="reserved"
                    )
                }
            )
        if (
            self.external_id
            and Company.objects.filter(organization_id=self.organization_id, external_id=self.external_id)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {
                    "external_id": ValidationError(
                        f'Another company of the organization has external_id "{self.external_id}".',
                        code="duplicate_external_id",
                    )
                }
            )


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
            models.UniqueConstraint(fields=["company", "framework"], name="ladder_unique_per_company_framework"),
        ]

    def __str__(self) -> str:
        return f"{self.company} — {self.framework}"

    def bump_version(self) -> None:
        """Record that the ladder changed (one UPDATE, safe against concurrent bumps), and keep the
        ladder as it now stands as a new immutable version (``ladder.versions``)."""
        from ladder import versions  # the versions module builds on these models

        bump_versions(Ladder.objects.filter(pk=self.pk))
        self.refresh_from_db(fields=["version", "updated_at"])
        versions.record_version(self)


class Level(TimestampedModel):
    """One rung of a company's ladder, anchored to a reference level.

    ``code`` is stored as written ("63-64", "L5a"); ``code_canonical`` ("6364", "L5A") is what
    makes codes unique and what lookups compare.

    A level is identified by its ``code`` where it has one, and by its normalised title otherwise:
    several levels may share a title ("Product Manager" from IC3 to IC7) as long as each carries a
    distinct code. ``scale_from``/``scale_to`` give the interval it covers on the reference scale;
    without them it covers its anchor's position ± 0.5.
    """

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
            models.UniqueConstraint(
                fields=["ladder", "code_canonical"],
                condition=Q(code_canonical__isnull=False),
                name="level_code_unique_per_ladder",
            ),
            # Two uncoded active levels may not share a normalised title: nothing would tell them apart.
            models.UniqueConstraint(
                fields=["ladder", "title_normalized"],
                condition=Q(code__isnull=True, is_active=True),
                name="level_uncoded_title_unique_per_ladder",
            ),
            models.UniqueConstraint(
                fields=["ladder", "external_id"],
                condition=Q(external_id__isnull=False),
                name="level_external_id_unique_per_ladder",
            ),
            models.CheckConstraint(
                condition=Q(scale_from__isnull=True, scale_to__isnull=True)
                | Q(scale_from__isnull=False, scale_to__isnull=False, scale_from__lt=F("scale_to")),
                name="level_scale_from_below_scale_to",
            ),
            models.CheckConstraint(condition=~Q(code=""), name="level_code_not_blank"),
            models.CheckConstraint(condition=~Q(title_normalized=""), name="level_title_not_blank"),
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
        super().clean()
        self.normalize_fields()
        errors: dict[str, ValidationError] = {}
        if not self.title_normalized:
            errors["title"] = ValidationError("A title needs at least one letter or digit.", code="empty_title")
        if (self.scale_from is None) != (self.scale_to is None):
            errors["scale_to"] = ValidationError(
                "Give both scale_from and scale_to, or neither.", code="incomplete_span"
            )
        elif self.scale_from is not None and self.scale_from >= self.scale_to:
            errors["scale_to"] = ValidationError("scale_to must be greater than scale_from.", code="invalid_span")
        if self.ladder_id and self.reference_level_id and self.reference_level.framework_id != self.ladder.framework_id:
            errors["reference_level"] = ValidationError(
                "The reference level belongs to another framework than the ladder.", code="wrong_framework"
            )
        others = Level.objects.filter(ladder_id=self.ladder_id).exclude(pk=self.pk) if self.ladder_id else None
        if others is not None and self.code_canonical and others.filter(code_canonical=self.code_canonical).exists():
            errors["code"] = ValidationError(
                f'Another level of this ladder has code "{self.code}".', code="duplicate_code"
            )
        if others is not None and self.external_id and others.filter(external_id=self.external_id).exists():
            errors["external_id"] = ValidationError(
                f'Another level of this ladder has external_id "{self.external_id}".', code="duplicate_external_id"
            )
        if others is not None and self.title_normalized and self.is_active and "code" not in errors:
            clashes = others.filter(title_normalized=self.title_normalized, is_active=True)
            if self.code is None and clashes.exists():
                errors["code"] = ValidationError(
                    f'Another level of this ladder is also titled "{self.title}"; levels that share a '
                    "title must each carry a distinct code.",
                    code="duplicate_title",
                )
            elif clashes.filter(code__isnull=True).exists():
                errors["title"] = ValidationError(
                    f'An uncoded level of this ladder is already titled "{self.title}"; give it a code first.',
                    code="duplicate_title",
                )
        if (
            self.ladder_id
            and self.title_normalized
            and "title" not in errors
            and TitleAlias.objects.filter(
                ladder_id=self.ladder_id, title_normalized=self.title_normalized, valid_to__isnull=True
            )
            .exclude(level_id=self.pk)
            .exists()
        ):
            errors["title"] = ValidationError(
                f'"{self.title}" is a current alias of another level of this ladder.', code="alias_in_use"
            )
        if errors:
            raise ValidationError(errors)


class TitleAlias(TimestampedModel):
    """Another title for a level ("Sr. PM", a former title), valid from/until optional dates.

    ``valid_to`` is exclusive: an alias with ``valid_to`` 2024-01-01 was last valid on 2023-12-31.
    ``ladder`` repeats the level's ladder so that the database can keep a current alias's normalised
    title unique within the ladder.
    """

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
            models.UniqueConstraint(
                fields=["ladder", "title_normalized"],
                condition=Q(valid_to__isnull=True),
                name="alias_current_title_unique_per_ladder",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_from__lt=F("valid_to")),
                name="alias_valid_from_before_valid_to",
            ),
            models.CheckConstraint(condition=~Q(title_normalized=""), name="alias_title_not_blank"),
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
        super().clean()
        self.normalize_fields()
        errors: dict[str, ValidationError] = {}
        if not self.title_normalized:
            errors["title"] = ValidationError("A title needs at least one letter or digit.", code="empty_title")
        if self.valid_from and self.valid_to and self.valid_from >= self.valid_to:
            errors["valid_to"] = ValidationError("valid_to must be after valid_from.", code="invalid_window")
        if self.level_id and self.title_normalized and self.valid_to is None:
            other_alias = TitleAlias.objects.filter(
                ladder_id=self.ladder_id, title_normalized=self.title_normalized, valid_to__isnull=True
            ).exclude(pk=self.pk)
            other_level = Level.objects.filter(
                ladder_id=self.ladder_id, title_normalized=self.title_normalized, is_active=True
            ).exclude(pk=self.level_id)
            if other_alias.exists():
                errors["title"] = ValidationError(
                    f'"{self.title}" is already a current alias in this ladder.', code="duplicate_alias"
                )
            elif other_level.exists():
                errors["title"] = ValidationError(
                    f'"{self.title}" already names another level of this ladder.', code="alias_names_other_level"
                )
        if errors:
            raise ValidationError(errors)


# --- Audit and retries ----------------------------------------------------------------------------


class ChangeRecord(models.Model):
    """One change to a framework, company, ladder, level or alias: who, when, and the values before/after.

    ``company``, ``framework`` and ``ladder`` are kept without foreign-key constraints so that history
    outlives the rows it describes. ``before``/``after`` hold only the fields that changed (all fields
    for a creation or a deletion).
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        ARCHIVE = "archive", "Archived"
        RESTORE = "restore", "Restored"
        VERSION = "version", "New version"

    class ObjectType(models.TextChoices):
        FRAMEWORK = "framework", "Framework"
        REFERENCE_LEVEL = "reference_level", "Reference level"
        COMPANY = "company", "Company"
        LADDER = "ladder", "Ladder"
        LEVEL = "level", "Level"
        ALIAS = "alias", "Alias"

    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=32, choices=ObjectType.choices)
    object_id = models.BigIntegerField()
    object_repr = models.CharField(max_length=300, blank=True)
    company = models.ForeignKey(
        Company, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    ladder_id = models.BigIntegerField(null=True, blank=True)
    level_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_api_key_id = models.CharField(max_length=150, blank=True)
    actor = models.CharField(max_length=200, help_text="Who: a user name or an API key's name, or 'system'.")
    request_id = models.CharField(max_length=128, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ladder_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The number of the ladder version this change is part of."
    )
    # The writing transaction (PostgreSQL) orders the changes feed; see ``ladder.db.CurrentTransactionId``.
    txid = models.BigIntegerField(db_default=CurrentTransactionId(), editable=False)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["company", "-changed_at"], name="change_company_time"),
            models.Index(fields=["object_type", "object_id"], name="change_object"),
            models.Index(fields=["txid", "id"], name="change_feed_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id} by {self.actor}"


class FixtureState(models.Model):
    """What ``load_fixtures`` last loaded for one object: the fixture's values then, and their hash.

    On the next load a field changes only when the fixture changed it since then and nobody edited it
    in the meantime, so an edit made in the admin or through the API is never reverted.
    ``object_id`` follows the row when people rename it.
    """

    fixture = models.CharField(max_length=100, help_text='The fixture file, e.g. "demo" or "catalog".')
    key = models.CharField(max_length=500, help_text="The object's identity inside the fixture.")
    object_id = models.BigIntegerField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    values = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fixture", "key"], name="fixture_state_unique_key")]

    def __str__(self) -> str:
        return f"{self.fixture}: {self.key}"


class IdempotencyRecord(models.Model):
    """A create request made with an ``Idempotency-Key``: replayed for 24 hours instead of run twice."""

    class State(models.TextChoices):
        PENDING = "pending", "In progress"
        DONE = "done", "Done"

    owner = models.CharField(max_length=200, help_text="The API key or user that sent the key.")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotency_key_unique_per_owner")]

    def __str__(self) -> str:
        return f"{self.owner} {self.key} ({self.state})"


# --- Ladder versions ------------------------------------------------------------------------------


class LadderVersion(models.Model):
    """One immutable state of a ladder: a number, the day it takes effect, who made it and in which request.

    An applied version's levels are the ``LevelRevision`` rows open at its ``seq`` (its place in the
    order in which versions took effect). A scheduled version keeps the whole ladder it will apply in
    ``document`` until its day comes; it is applied by the first write or read of the ladder on or
    after that day, so no job has to run.
    """

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    seq = models.PositiveIntegerField(null=True, blank=True, help_text="Order of taking effect; set when applied.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.APPLIED)
    effective_from = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    author = models.CharField(max_length=200, help_text="A user name or an API key's name, or 'system'.")
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_api_key_id = models.CharField(max_length=150, blank=True)
    request_id = models.CharField(max_length=128, blank=True)
    ladder_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The ladder's version counter (ETag) once applied."
    )
    document = models.JSONField(null=True, blank=True, help_text="Scheduled: the levels it will apply.")
    revision = models.PositiveIntegerField(default=1, help_text="Scheduled: grows when replaced (ETag).")
    problems = models.JSONField(null=True, blank=True, help_text="Failed: why it could not be applied.")

    class Meta:
        ordering = ["ladder", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "number"], name="ladder_version_number_unique"),
            models.UniqueConstraint(
                fields=["ladder", "seq"], condition=Q(seq__isnull=False), name="ladder_version_seq_unique"
            ),
            models.UniqueConstraint(
                fields=["ladder", "effective_from"],
                condition=Q(status="scheduled"),
                name="ladder_version_one_scheduled_per_day",
            ),
        ]
        indexes = [models.Index(fields=["ladder", "effective_from", "number"], name="ladder_version_effective")]

    def __str__(self) -> str:
        return f"{self.ladder} v{self.number} ({self.status}, from {self.effective_from})"


class LevelRevision(models.Model):
    """A level's whole state (fields and aliases) from one applied version up to the one that changed it.

    Only the levels a version changes get a new row, so storage grows with the size of the changes,
    not with the ladder times the number of versions.
    """

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="+")
    level_id = models.BigIntegerField()
    from_seq = models.PositiveIntegerField()
    to_seq = models.PositiveIntegerField(null=True, blank=True, help_text="Exclusive; open while current.")
    state = models.JSONField()

    class Meta:
        ordering = ["ladder", "from_seq", "level_id"]
        indexes = [
            models.Index(fields=["ladder", "from_seq"], name="level_revision_from"),
            models.Index(fields=["ladder", "to_seq"], name="level_revision_to"),
        ]

    def __str__(self) -> str:
        return f"level {self.level_id} [{self.from_seq}, {self.to_seq})"


# --- Webhooks -------------------------------------------------------------------------------------


class WebhookSubscription(models.Model):
    """An organization's endpoint for change events, signed with its own ``whsec_`` secret."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text='Event types, "level.*" patterns, or ["*"] for all.')
    secret = models.CharField(max_length=100, editable=False)
    is_active = models.BooleanField(default=True)
    flagged_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when deliveries kept failing for 24 hours; deliveries then stop."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization", "id"]
        verbose_name = "webhook subscription"

    def __str__(self) -> str:
        return f"{self.organization}: {self.url}"

    def wants(self, event_type: str) -> bool:
        for pattern in self.events or ():
            if pattern == "*" or pattern == event_type:
                return True
            if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
                return True
        return False


class WebhookDelivery(models.Model):
    """One event for one subscription: the outbox row, written in the transaction of the change."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=64, help_text="The webhook-id header: the same on every attempt.")
    event_type = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event_id"], name="webhook_delivery_event_unique")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.status})"
