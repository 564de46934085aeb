"""The reference framework: the common scale every company ladder is placed on (DESIGN §1)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from ladder import rules
from ladder.choices import CompetencyKind, Track
from ladder.models.base import TimestampedModel


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

    def clean(self) -> None:
        super().clean()
        for field in ("responsibilities", "common_aliases"):
            errors = rules.string_list_errors(getattr(self, field), field)
            if errors:
                raise ValidationError(rules.django_errors(errors))


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
            errors = rules.wrong_framework_errors("competency", "reference level", "competency")
            raise ValidationError(rules.django_errors(errors))
