"""The title vocabulary: the shipped file, override files, and malformed data refused."""

from __future__ import annotations

import json

import pytest

from ladder.engine.understand import Vocabulary
from ladder.engine.vocabulary import VocabularyError, merge_vocabulary
from tests.engine.support import VOCABULARY, VOCABULARY_FILE


def test_the_vocabulary_file_is_versioned_and_names_every_family_of_the_issue():
    data = json.loads(VOCABULARY_FILE.read_text())
    assert data["version"]
    families = {item["slug"] for item in data["families"]}
    assert families >= {
        "product-management",
        "product-marketing",
        "product-design",
        "product-analytics",
        "product-operations",
        "product-support",
        "production",
        "project-management",
        "programme-management",
        "engineering",
        "data-science",
        "sales",
        "account-management",
        "customer-success",
        "brand-marketing",
        "merchandising",
    }
    assert {t["language"] for t in data["translations"]} >= {"de", "fr", "es", "pt", "nl"}


def test_an_override_extends_the_vocabulary_and_changes_its_version(tmp_path):
    override = tmp_path / "house.json"
    override.write_text(
        json.dumps(
            {
                "version": "house-1",
                "families": [{"slug": "product-management", "phrases": ["solution owner"]}],
                "translations": [{"language": "it", "from": "responsabile prodotto", "to": "product manager"}],
            }
        )
    )
    extended = Vocabulary.from_file(VOCABULARY_FILE, [override])
    assert extended.version == f"{VOCABULARY.version}+house-1"
    assert extended.understand("Senior Solution Owner").is_product_management
    assert extended.understand("Responsabile Prodotto").span == (1.5, 2.5)
    assert not VOCABULARY.understand("Senior Solution Owner").is_product_management


def test_a_malformed_vocabulary_is_refused_with_a_clear_error():
    data = json.loads(VOCABULARY_FILE.read_text())
    broken = dict(data, seniority=[{"key": "x", "phrases": ["x"], "track": "ic", "span": [3, 2]}])
    with pytest.raises(VocabularyError):
        Vocabulary(broken)
    with pytest.raises(VocabularyError):
        merge_vocabulary(data, {"families": []})  # an override needs its own version
