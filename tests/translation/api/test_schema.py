"""How the translation operations describe themselves: the view method's docstring is the description."""

from __future__ import annotations

import inspect

import pytest
from drf_spectacular.generators import SchemaGenerator

from ladder.api.compare import CompareView
from ladder.translation.api.views import CareerPathView, TranslateView, UnderstandTitlesView


@pytest.fixture(scope="module")
def paths():
    return SchemaGenerator().get_schema(request=None, public=True)["paths"]


@pytest.mark.parametrize(
    ("path", "method", "view"),
    [
        ("/api/v1/translate", "get", TranslateView),
        ("/api/v1/translate", "post", TranslateView),
        ("/api/v1/titles/understand", "get", UnderstandTitlesView),
        ("/api/v1/titles/understand", "post", UnderstandTitlesView),
        ("/api/v1/career-path", "get", CareerPathView),
        ("/api/v1/compare", "get", CompareView),
    ],
)
def test_the_description_is_the_docstring_as_one_paragraph(paths, path, method, view):
    description = paths[path][method]["description"]
    assert description == " ".join(inspect.getdoc(getattr(view, method)).split())
    assert "\n" not in description and len(description) > 100


def test_batches_take_json_or_csv_and_answer_either(paths):
    for path in ("/api/v1/translate", "/api/v1/titles/understand"):
        assert set(paths[path]["post"]["requestBody"]["content"]) == {"application/json", "text/csv"}
        for method in ("get", "post"):
            assert set(paths[path][method]["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert set(paths["/api/v1/career-path"]["get"]["responses"]["200"]["content"]) == {"application/json"}
