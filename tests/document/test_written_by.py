"""A document records the version of the project that wrote it ("written_by"), and old documents still open."""
import tomllib
from pathlib import Path

import pytest

from playground import document as D
from playground.live_document import PlaygroundDocument, default_document
from playground.version import VERSION
from tests.document.test_golden_links import GOLDEN_FRESH

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_version_is_pyprojects():
    assert VERSION == tomllib.loads(PYPROJECT.read_text())["project"]["version"]


def test_the_page_writes_its_version_into_links_and_files():
    doc = PlaygroundDocument().snapshot()
    assert doc["written_by"] == VERSION and list(doc)[-1] == "written_by"
    read, _, error = D.read_fragment(D.make_fragment(doc))
    assert error is None and read["written_by"] == VERSION
    assert D.from_json(D.to_pretty_json(doc))["written_by"] == VERSION


def test_a_document_from_before_the_field_opens_without_it():
    doc, _, error = D.read_fragment(GOLDEN_FRESH)
    assert error is None and "written_by" not in doc
    without = default_document()
    del without["written_by"]
    assert D.check_document(without) == without


def test_a_later_version_opens_and_a_bad_one_is_refused():
    assert D.check_document(dict(default_document(), written_by="0.2.0rc1"))["written_by"] == "0.2.0rc1"
    for bad in ("<b>0.1</b>", "", "v1", 1, "1" * 41, ["0.1.0"]):
        with pytest.raises(D.DocumentError, match="written_by must be a version"):
            D.check_document(dict(default_document(), written_by=bad))
