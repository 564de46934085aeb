"""Request and answer shapes of ``/translate``, ``/career-path`` and ``/titles/understand``.

Requests are validated here; answers are built by the service (``ladder.translation.service``) and the
engine's ``to_dict``, so the answer serializers only describe them for the schema.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer, inline_serializer
from rest_framework import serializers

from ladder.choices import MatchBasis, ResolutionBasis
from ladder.serializer_fields import StrictCharField, StrictSerializer
from ladder.translation.api.query import FlatQuerySerializer
from ladder.translation.service import MAX_TITLE_LENGTH, MAX_TITLES

# --- Request shapes -------------------------------------------------------------------------------

CODE_MAX_LENGTH = 32  # as long as a level's code may be


def code_query_field() -> StrictCharField:
    """``?code=``: the level code given beside a title."""
    return StrictCharField(
        required=False,
        allow_blank=True,
        max_length=CODE_MAX_LENGTH,
        help_text="The level code, when the title alone is ambiguous.",
    )


def title_query_field(help_text: str) -> StrictCharField:
    """``?title=``: the job title of a single translation or understanding, as written (even blank)."""
    return StrictCharField(allow_blank=True, trim_whitespace=False, max_length=MAX_TITLE_LENGTH, help_text=help_text)


class TitleObjectSerializer(StrictSerializer):
    """A title with its level code given beside it."""

    title = StrictCharField(allow_blank=True, trim_whitespace=False)
    code = StrictCharField(required=False, allow_null=True, allow_blank=True, trim_whitespace=False)


class TitleItemField(serializers.Field):
    """A title to translate: a string, or ``{"title": ..., "code": ...}`` (schema: ``ladder.api.schema``)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            return data
        if isinstance(data, dict):
            item = TitleObjectSerializer(data=data)
            item.is_valid(raise_exception=True)
            return {"title": item.validated_data["title"], "code": item.validated_data.get("code") or None}
        raise serializers.ValidationError("A title is a string or an object with a title.", code="invalid")

    def to_representation(self, value):
        return value


@extend_schema_serializer(component_name="Translate")  # the generated client's ``TranslateRequest``
class TranslateRequestSerializer(StrictSerializer):
    """Titles to translate from one company's ladder into another's (or to or from `reference`)."""

    source = StrictCharField(max_length=64, help_text="Company slug, or `reference` for the framework itself.")
    target = StrictCharField(max_length=64, help_text="Company slug, or `reference`.")
    framework = StrictCharField(
        max_length=64, required=False, allow_null=True, help_text="May be omitted when the companies share one."
    )
    as_of = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The ladder versions and aliases in effect on this day; default: now.",
    )
    titles = serializers.ListField(
        child=TitleItemField(), max_length=MAX_TITLES, allow_empty=True, help_text="Up to 10,000."
    )


class TranslateQuerySerializer(FlatQuerySerializer):
    """The query of ``GET /translate`` (``format`` is DRF's, for content negotiation)."""

    source = StrictCharField(max_length=64, help_text="Company slug or `reference`.")
    target = StrictCharField(max_length=64, help_text="Company slug or `reference`.")
    title = title_query_field("The job title to translate.")
    code = code_query_field()
    framework = StrictCharField(
        max_length=64, required=False, help_text="Framework slug; optional when the companies share one."
    )
    as_of = serializers.DateField(
        required=False, help_text="The ladder versions and aliases in effect on this day (default: now)."
    )
    excel = serializers.ChoiceField(
        choices=["1", "true"], required=False, help_text="CSV answers start with a UTF-8 BOM, for Excel."
    )


class CSVQuerySerializer(StrictSerializer):
    """The query of ``POST /translate`` with a CSV body; a JSON body carries these itself."""

    source = StrictCharField(max_length=64, required=False, help_text="With a CSV body: company slug or `reference`.")
    target = StrictCharField(max_length=64, required=False, help_text="With a CSV body: company slug or `reference`.")
    framework = StrictCharField(
        max_length=64, required=False, help_text="With a CSV body: framework slug, when the companies share several."
    )
    as_of = serializers.DateField(
        required=False, help_text="With a CSV body: the ladder versions and aliases in effect on this day."
    )
    title_column = StrictCharField(
        max_length=200,
        required=False,
        help_text='With a CSV body: the column holding titles (default: "title" or "job title", any case).',
    )
    code_column = StrictCharField(
        max_length=200,
        required=False,
        help_text='With a CSV body: the column holding level codes (default: "code" or "level code", any case).',
    )
    excel = serializers.ChoiceField(
        choices=["1", "true"], required=False, help_text="CSV answers start with a UTF-8 BOM, for Excel."
    )


class CareerQuerySerializer(FlatQuerySerializer):
    company = StrictCharField(max_length=64, help_text="Company slug.")
    title = StrictCharField(trim_whitespace=False, max_length=MAX_TITLE_LENGTH, help_text="The job title.")
    code = code_query_field()
    framework = StrictCharField(
        max_length=64, required=False, help_text="Framework slug; optional when the company has one."
    )
    as_of = serializers.DateField(
        required=False, help_text="The ladder versions and aliases in effect on this day (default: now)."
    )


class UnderstandRequestSerializer(StrictSerializer):
    framework = StrictCharField(
        max_length=64, required=False, allow_null=True, help_text="Framework slug; optional when there is one."
    )
    as_of = serializers.DateField(required=False, allow_null=True, help_text="Aliases valid on this day; today.")
    titles = serializers.ListField(
        child=TitleItemField(), max_length=MAX_TITLES, allow_empty=True, help_text="Up to 10,000."
    )


class UnderstandQuerySerializer(StrictSerializer):
    title = title_query_field("The job title to understand.")
    code = code_query_field()
    framework = StrictCharField(max_length=64, required=False, help_text="Framework slug; optional when there is one.")
    as_of = serializers.DateField(required=False, help_text="Aliases valid on this day (default: today).")


class UnderstandCSVQuerySerializer(StrictSerializer):
    framework = StrictCharField(max_length=64, required=False, help_text="With a CSV body: framework slug.")
    as_of = serializers.DateField(required=False, help_text="With a CSV body: aliases valid on this day.")


# --- Answer shapes (for the schema; answers are built by the engine's ``to_dict``) -------------------


def counts(name: str, *names: str) -> serializers.Serializer:
    """A batch summary: how many results of each kind (the schema component ``name``)."""
    return inline_serializer(name, {count: serializers.IntegerField() for count in names})


class LevelRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    track = serializers.CharField()


class ReferenceRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    track = serializers.CharField()
    position = serializers.IntegerField()


class UnderstoodAlternativeSerializer(serializers.Serializer):
    reference_level = ReferenceRefSerializer()
    confidence = serializers.FloatField()


class FocusSerializer(serializers.Serializer):
    hands_on = serializers.IntegerField()
    soft = serializers.IntegerField()


class CareerStepSerializer(serializers.Serializer):
    level = LevelRefSerializer(allow_null=True)
    reason = serializers.CharField(help_text='Why this step: "next rung on this track", "manages PMs", ...')
    reference_level = serializers.CharField(allow_null=True)
    reference_name = serializers.CharField(allow_null=True)
    track = serializers.CharField()
    responsibilities_gained = serializers.ListField(child=serializers.CharField())
    focus_before = FocusSerializer(allow_null=True)
    focus_after = FocusSerializer(allow_null=True)


class AliasWindowSerializer(serializers.Serializer):
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True, help_text="Exclusive: the first day the alias no longer held.")


class ResolutionSerializer(serializers.Serializer):
    basis = serializers.ChoiceField(
        choices=ResolutionBasis.choices,
        help_text="A ladder hit (`exact`, `alias`, `normalized`, `fuzzy`, `code`); `expired_alias` for a title "
        "found only as an alias whose window ended; `understood` for a title placed from what it says (the "
        "source level is then the one it sits beside).",
    )
    score = serializers.FloatField()
    alias = serializers.CharField(required=False, help_text="With `expired_alias`: the alias that matched.")
    window = AliasWindowSerializer(required=False, help_text="With `expired_alias`: when the alias was valid.")


class UnderstandingSerializer(serializers.Serializer):
    """What the title parser read in a title (see docs/translation.md, "Title understanding")."""

    family = serializers.CharField(allow_null=True, help_text="Job family slug, or null when the title names none.")
    family_name = serializers.CharField(allow_null=True)
    qualifiers = serializers.ListField(child=serializers.CharField(), help_text="Function: technical, growth, ...")
    seniority = serializers.ListField(child=serializers.CharField(), help_text="Seniority modifiers, in order.")
    numbers = serializers.ListField(child=serializers.IntegerField(), help_text="Level numbers (II -> 2).")
    codes = serializers.ListField(child=serializers.CharField(), help_text="Level codes written in the title.")
    track = serializers.CharField(allow_null=True, help_text="`ic`, `management` or `executive` when placed.")
    manages_product_managers = serializers.BooleanField()
    span = serializers.ListField(
        child=serializers.FloatField(), allow_null=True, help_text="`[from, to)` on the reference scale, when placed."
    )
    ignored = serializers.ListField(child=serializers.CharField(), help_text="Noise, team, product, location.")
    unknown_words = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField(), help_text="Languages read: de, fr, es, pt, nl.")
    reading = serializers.CharField(help_text="The words the parser worked on, in English.")
    certainty = serializers.FloatField(help_text="How sure the parse is, 0..1.")


class AlternativeSerializer(serializers.Serializer):
    level = LevelRefSerializer()
    confidence = serializers.FloatField()
    basis = serializers.ChoiceField(choices=MatchBasis.choices)


class ItemErrorSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="`unresolved_title`, `other_job_family`, `ambiguous_title`, `unknown_code`, `code_title_mismatch`, "
        "`empty_title`, `title_too_long` or `empty_target`."
    )
    detail = serializers.CharField()
    suggestions = serializers.ListField(child=serializers.CharField())
    candidates = LevelRefSerializer(many=True)
    family = serializers.CharField(required=False, help_text="With `other_job_family`: the family detected.")


class TranslationResultSerializer(serializers.Serializer):
    input = TitleItemField()
    source_level = LevelRefSerializer(allow_null=True)
    resolution = ResolutionSerializer(allow_null=True)
    target_level = LevelRefSerializer(allow_null=True)
    confidence = serializers.FloatField()
    basis = serializers.ChoiceField(choices=MatchBasis.choices, allow_null=True)
    alternatives = AlternativeSerializer(many=True)
    error = ItemErrorSerializer(allow_null=True)
    understanding = UnderstandingSerializer(
        allow_null=True,
        help_text="What the title says, when the source ladder did not hold it (basis `understood`, "
        "`other_job_family`, `unresolved_title`); null for a ladder hit.",
    )
    inferred_anchor = serializers.BooleanField(
        help_text="True when the source or target level's reference level was inferred, not stated; the "
        "confidence is then lower and `notes` says which."
    )
    notes = serializers.ListField(child=serializers.CharField())


class TranslateResponseSerializer(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()
    framework = serializers.CharField()
    as_of = serializers.DateField()
    results = TranslationResultSerializer(many=True)
    summary = counts("Summary", "total", "translated", "unresolved")


class CareerPathResponseSerializer(serializers.Serializer):
    company = serializers.CharField()
    framework = serializers.CharField()
    level = LevelRefSerializer()
    reference_level = serializers.CharField(allow_null=True)
    next_levels = CareerStepSerializer(many=True)
    branches = CareerStepSerializer(many=True)


class UnderstoodTitleSerializer(serializers.Serializer):
    input = TitleItemField()
    understanding = UnderstandingSerializer(allow_null=True, help_text="The parse; null only for a refused input.")
    reference_level = ReferenceRefSerializer(allow_null=True)
    confidence = serializers.FloatField()
    basis = serializers.ChoiceField(
        choices=ResolutionBasis.choices,
        allow_null=True,
        help_text="How the title was placed: a reference level's name or alias (`exact`, `alias`, `normalized`, "
        "`fuzzy`) or from what it says (`understood`).",
    )
    alternatives = UnderstoodAlternativeSerializer(many=True)
    error = ItemErrorSerializer(allow_null=True)


class UnderstandResponseSerializer(serializers.Serializer):
    framework = serializers.CharField()
    vocabulary_version = serializers.CharField()
    as_of = serializers.DateField()
    results = UnderstoodTitleSerializer(many=True)
    summary = counts("UnderstandSummary", "total", "placed", "other_job_family", "unresolved")
