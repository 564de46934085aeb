"""Enumerations shared by models, serializers and the schema (stable names for generated clients)."""

from django.db import models


class Track(models.TextChoices):
    """The kind of career path a level sits on."""

    IC = "ic", "Individual contributor"
    MANAGEMENT = "management", "Management"
    EXECUTIVE = "executive", "Executive"


class Anchor(models.TextChoices):
    """Whether a level's reference level was given by a person or inferred by pmladder."""

    EXPLICIT = "explicit", "Explicit"
    INFERRED = "inferred", "Inferred"


class SizeBand(models.TextChoices):
    """Rough company size by headcount."""

    STARTUP = "startup", "Startup (1-50)"
    SCALEUP = "scaleup", "Scale-up (51-500)"
    MIDSIZE = "midsize", "Mid-size (501-5,000)"
    ENTERPRISE = "enterprise", "Enterprise (5,000+)"


class MemberRole(models.TextChoices):
    """What a person may do inside an organization."""

    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Admin"


class KeyRole(models.TextChoices):
    """What an API key may do: read only, or read and write."""

    READ = "read", "Read"
    WRITE = "write", "Write"


class CompetencyKind(models.TextChoices):
    """Hands-on product craft, or the soft skills that take over higher up the ladder."""

    HANDS_ON = "hands_on", "Hands-on"
    SOFT = "soft", "Soft skill"


class ResolutionBasis(models.TextChoices):
    """How a title was found in the source ladder."""

    EXACT = "exact", "Exact title"
    ALIAS = "alias", "Alias"
    NORMALIZED = "normalized", "Normalised title"
    FUZZY = "fuzzy", "Fuzzy match"
    CODE = "code", "Level code"
    EXPIRED_ALIAS = "expired_alias", "Alias used outside its validity window"
    UNDERSTOOD = "understood", "Placed from what the title says"


class MatchBasis(models.TextChoices):
    """Why a target level was chosen."""

    OVERLAP = "overlap", "Overlapping interval on the same or a neighbouring track"
    TRACK_FALLBACK = "track_fallback", "Overlapping interval on another track"
    NEAREST = "nearest", "Nearest level; nothing overlaps"
