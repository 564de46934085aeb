"""The translate and career-path queries: blank names and over-long values are 400s naming the field."""

from __future__ import annotations

from tests.conftest import error_of, fields_and_codes


def test_translate_and_career_path_refuse_blank_names(write_client, company):
    body = error_of(write_client.get("/api/v1/translate?source=&target=&title=&format=csv"), 400)
    assert {("source", "blank"), ("target", "blank")} <= fields_and_codes(body)
    assert error_of(write_client.get("/api/v1/translate?source=%20&target=a&title=x"), 400)
    body = error_of(write_client.get("/api/v1/career-path?company=&title=&code="), 400)
    assert {("company", "blank"), ("title", "blank")} <= fields_and_codes(body)


def test_translate_query_has_bounded_lengths(write_client, company):
    body = error_of(write_client.get("/api/v1/translate", {"source": "a", "target": "b", "title": "x" * 201}), 400)
    assert ("title", "max_length") in fields_and_codes(body)
    body = error_of(write_client.get("/api/v1/career-path", {"company": "a", "title": "PM", "code": "C" * 33}), 400)
    assert ("code", "max_length") in fields_and_codes(body)


def test_json_translation_still_checks_the_query(write_client, company):
    body = {"source": "a", "target": "b", "titles": []}
    response = write_client.post("/api/v1/translate?target=%1D", body, format="json")
    assert ("target", "blank") in fields_and_codes(error_of(response, 400))
