"""Typed inputs and outputs of the MCP tools (pydantic models become the tools' JSON schemas).

The shapes are the REST API's (``openapi.yaml``): an assistant and an HTTP client read the same
fields. Answer models allow extra fields, so a field the engine adds to its answers passes through
instead of being dropped.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


# --- search_companies -----------------------------------------------------------------------------


class CompanyCandidate(_Answer):
    slug: str = Field(description="Pass this to the other tools as `company`, `source` or `target`.")
    name: str
    size_band: str = Field(description="startup, scaleup, midsize, enterprise, or empty when unknown.")
    is_public: bool = Field(description="True when every organization may read this company.")
    organization: str = Field(description="Slug of the organization that owns the company.")
    frameworks: list[str] = Field(description="Frameworks the company has a ladder for (e.g. product-management).")
    exact: bool = Field(description="True when the slug or the whole name equals the query.")


class CompanySearchResult(_Answer):
    query: str
    candidates: list[CompanyCandidate] = Field(
        description="Readable companies matching the query, exact matches first. Empty when nothing matches."
    )


# --- get_ladder -----------------------------------------------------------------------------------


class LadderAlias(_Answer):
    title: str
    valid_from: str | None = Field(description="First day the alias holds (ISO date), or null.")
    valid_to: str | None = Field(description="First day the alias no longer holds (ISO date), or null.")
    external_id: str | None


class LadderLevel(_Answer):
    id: int
    title: str
    code: str | None = Field(description="The company's level code (L5, IC4…), or null.")
    track: str = Field(description="ic, management or executive.")
    rank: int = Field(description="Order in the ladder, lowest first.")
    reference_level: str | None = Field(description="Slug of the reference level this level is anchored to.")
    anchor: str = Field(description="explicit (set by the company) or inferred (from title and rank).")
    scale_from: float | None = Field(description="Start of the level's span on the reference scale.")
    scale_to: float | None = Field(description="End of the level's span on the reference scale (exclusive).")
    external_id: str | None
    is_active: bool
    description: str
    aliases: list[LadderAlias]


class LadderDocument(_Answer):
    company: str
    framework: str
    version: int | None = Field(
        default=None,
        description="Grows with every change to the ladder. Absent when reading a day (`as_of`): then "
        "`number` names the ladder version in effect, `status` says applied or scheduled.",
    )
    levels: list[LadderLevel] = Field(description="Every level, active or not, in rank order.")


# --- translate_titles and career_path -------------------------------------------------------------


class TitleWithCode(BaseModel):
    """A title with the company's level code given beside it."""

    title: str = Field(description="The job title.")
    code: str | None = Field(default=None, description="The level code (e.g. IC5), when the title is shared.")


class LevelRef(_Answer):
    id: int
    title: str
    code: str | None
    track: str


class Resolution(_Answer):
    basis: str = Field(description="How the title was found: exact, alias, normalized, fuzzy or code.")
    score: float


class Alternative(_Answer):
    level: LevelRef
    confidence: float
    basis: str


class ItemError(_Answer):
    code: str = Field(description="unresolved_title, ambiguous_title, unknown_code, code_title_mismatch, …")
    detail: str
    suggestions: list[str] = Field(description="Close titles in the source ladder.")
    candidates: list[LevelRef] = Field(description="Levels an ambiguous title could mean: ask which one.")


class TranslationResult(_Answer):
    input: str | TitleWithCode
    source_level: LevelRef | None
    resolution: Resolution | None
    target_level: LevelRef | None = Field(description="The best matching level at the target, or null on error.")
    confidence: float = Field(description="0..1; below 0.5 means unsure: say so rather than state it as fact.")
    basis: str | None = Field(description="overlap, track_fallback or nearest.")
    alternatives: list[Alternative]
    error: ItemError | None = Field(description="Why this title could not be translated, or null.")


class TranslationSummary(_Answer):
    total: int
    translated: int
    unresolved: int


class TranslationAnswer(_Answer):
    source: str
    target: str
    framework: str
    as_of: str
    results: list[TranslationResult] = Field(description="One result per title, in input order.")
    summary: TranslationSummary


class Focus(_Answer):
    hands_on: int
    soft: int


class CareerStep(_Answer):
    level: LevelRef | None = Field(description="The company's level for this step, or null if it has none.")
    reference_level: str | None
    reference_name: str | None
    track: str
    responsibilities_gained: list[str]
    focus_before: Focus | None
    focus_after: Focus | None


class CareerPathAnswer(_Answer):
    company: str
    framework: str
    level: LevelRef = Field(description="The level the title resolved to.")
    reference_level: str | None
    next_levels: list[CareerStep] = Field(description="The next levels on the same track, nearest first.")
    branches: list[CareerStep] = Field(description="Other directions, e.g. Senior PM to Group PM or Principal PM.")


# --- understand_titles ----------------------------------------------------------------------------


class ReferenceRef(_Answer):
    slug: str
    name: str
    track: str
    position: int


class UnderstoodAlternative(_Answer):
    reference_level: ReferenceRef | None
    confidence: float


class UnderstoodTitle(_Answer):
    input: str | TitleWithCode
    understanding: dict | None = Field(
        description="What was read in the title: job family, seniority words, track, span on the scale, "
        "and the parts ignored (team, location, job-ad markers)."
    )
    reference_level: ReferenceRef | None = Field(description="The reference level the title sits on, or null.")
    confidence: float = Field(description="0..1; below 0.5 means unsure: say so rather than state it as fact.")
    basis: str | None
    alternatives: list[UnderstoodAlternative]
    error: ItemError | None = Field(
        description="other_job_family (not a product-management title), unresolved_title, …, or null."
    )


class UnderstandSummary(_Answer):
    total: int
    placed: int
    other_job_family: int
    unresolved: int


class UnderstandAnswer(_Answer):
    framework: str
    vocabulary_version: str
    as_of: str
    results: list[UnderstoodTitle] = Field(description="One result per title, in input order.")
    summary: UnderstandSummary


# --- compare_ladders ------------------------------------------------------------------------------


class CompareBox(_Answer):
    id: str = Field(description="`<column key>:<level id>`; links name boxes by it.")
    title: str
    code: str | None
    track: str
    scale_from: float
    scale_to: float
    anchor: str | None = Field(description="explicit, or inferred when pmladder chose the reference level.")


class CompareColumn(_Answer):
    key: str = Field(description="`reference`, or a company slug.")
    name: str
    boxes: list[CompareBox]


class CompareLink(_Answer):
    source: str
    target: str
    confidence: float


class CompareAnswer(_Answer):
    framework: str
    as_of: str
    columns: list[CompareColumn] = Field(description="The reference ladder first, then each company.")
    links: list[CompareLink] = Field(description="What each level translates to in the neighbouring columns.")
