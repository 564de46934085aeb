"""The ladder data model (DESIGN §2), one module per part of the domain.

- ``frameworks``: the shared reference scale (frameworks, reference levels, competencies);
- ``accounts``: tenants and who acts for them (organizations, memberships, API keys);
- ``ladders``: companies, ladders, levels and title aliases;
- ``audit``: the change history, the fixtures' memory, idempotent retries;
- ``versions``: immutable ladder versions;
- ``webhooks``: subscriptions and their deliveries.
"""

from ladder.models.accounts import ApiKey, Membership, Organization
from ladder.models.audit import ChangeRecord, FixtureState, IdempotencyRecord
from ladder.models.base import TimestampedModel, bump_versions
from ladder.models.frameworks import Competency, ExpectedProficiency, Framework, ReferenceLevel
from ladder.models.ladders import RESERVED_SLUG, Company, Ladder, Level, TitleAlias
from ladder.models.versions import LadderVersion, LevelRevision
from ladder.models.webhooks import WebhookDelivery, WebhookSubscription

__all__ = [
    "RESERVED_SLUG",
    "ApiKey",
    "ChangeRecord",
    "Company",
    "Competency",
    "ExpectedProficiency",
    "FixtureState",
    "Framework",
    "IdempotencyRecord",
    "Ladder",
    "LadderVersion",
    "Level",
    "LevelRevision",
    "Membership",
    "Organization",
    "ReferenceLevel",
    "TimestampedModel",
    "TitleAlias",
    "WebhookDelivery",
    "WebhookSubscription",
    "bump_versions",
]
