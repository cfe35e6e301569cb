"""The document module on its own: validation, JSON and URL-fragment encodings, hostile input."""
import base64
import copy
import functools
import json
import zlib

import pytest
from hypothesis import given, settings, strategies as st

from playground import document as D


def sample():
    """A complete version-1 document, written out by hand."""
    return {
        "version": 1,
        "view": "graph",
        "title": "Two neurons",
        "graph": {"program": "a = 2.0\nb = -3.0\nc = a * b + a\nL = c.tanh()",
                  "values": {"a": 2.0, "b": -3.0}, "step": 3},
        "training": {
            "dataset": "moons", "noise": 0.1, "n_points": 100, "seed": 1337, "train_fraction": 0.8,
            "added_points": [[0.5, -0.25, 1], [1.0, 1.5, -1]], "removed_points": [3, 7],
            "hidden_layers": [16, 16], "activation": "relu", "loss": "max_margin", "optimizer": "sgd",
            "learning_rate": 0.1, "decay": 0.0, "l2": 1e-4, "batch_size": 0, "step": 0, "weights": None,
        },
    }


def pack(raw: bytes, prefix="1.") -> str:
    """Build a link payload by hand, to make broken ones."""
    return prefix + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_json_round_trip_is_exact():
    doc = sample()
    doc["training"]["weights"] = [0.1, -1 / 3, 1e-300, 123456.789]
    assert D.from_json(D.to_json(doc)) == doc


def test_link_round_trip_is_exact_and_fragment_carries_options():
    doc = sample()
    fragment = D.make_fragment(doc, view="training", hide=["curves", "header"], minimal=True)
    assert fragment.startswith("#d=1.")
    assert fragment.endswith("&view=training&hide=header,curves&chrome=minimal")
    read, options, error = D.read_fragment(fragment)
    assert error is None
    assert read == doc
    assert options == {"view": "training", "hide": {"header", "curves"}, "minimal": True, "device": False}
    assert D.read_fragment(fragment + "&from=device")[1]["device"] is True   # the page's mark, never in a link


def test_link_uses_only_fragment_safe_characters():
    payload = D.encode_payload(sample())
    assert D.BASE64URL.match(payload[2:]) and "=" not in payload


def test_empty_fragment_means_defaults_without_error():
    assert D.read_fragment("") == (None, {"view": None, "hide": set(), "minimal": False, "device": False}, None)
    assert D.read_fragment("#view=training")[1]["view"] == "training"


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(values=st.dictionaries(st.from_regex(D.IDENTIFIER, fullmatch=True), finite, max_size=8),
       title=st.text(max_size=100).filter(lambda s: all(ord(c) >= 32 and not 0xD800 <= ord(c) <= 0xDFFF for c in s)),
       weights=st.none() | st.lists(finite, max_size=50),
       step=st.integers(0, D.MAX_STEPS))
def test_any_valid_document_survives_a_link(values, title, weights, step):
    doc = sample()
    doc["title"], doc["graph"]["values"], doc["graph"]["step"] = title, values, step
    doc["training"]["weights"] = weights
    read, _, error = D.read_fragment(D.make_fragment(doc))
    assert error is None and read == doc


# --- hostile and broken links: each gives a message and no document -----------------------------

@functools.cache
def bad_links():
    good = D.make_fragment(sample())
    data = good[len("#d=1."):]
    packed = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    bomb = zlib.compress(b"[" + b" " * (50 * 1024 * 1024) + b"]", 9)
    raw = json.dumps(sample()).encode()
    return {
        "truncated": ("#d=" + pack(packed[: len(packed) // 2]), "incomplete"),
        "truncated text": (good[: len(good) // 2], None),
        "truncated by one character": (good[:-1], None),
        "bad base64": (good[:10] + "!!**" + good[14:], "base64url"),
        "bad compression": ("#d=" + pack(b"this is not zlib data at all"), "compression"),
        "zip bomb": ("#d=" + pack(bomb), "more than a document may hold"),
        "unknown link format": ("#d=" + pack(zlib.compress(raw), prefix="9."), "unknown link format"),
        "no format": ("#d=abc", "no format"),
        "not json": ("#d=" + pack(zlib.compress(b"{not json")), "not valid JSON"),
        "deep nesting": ("#d=" + pack(zlib.compress(b"[" * 100_000 + b"]" * 100_000)), "nested deeper"),
        "deep nesting, small": ("#d=" + pack(zlib.compress(b"[" * 10_000 + b"]" * 10_000)), "nested deeper"),
        "huge integer text": ("#d=" + pack(zlib.compress(b"9" * 5000)), "not valid JSON"),
        "trailing data": ("#d=" + pack(zlib.compress(raw) + b"xx"), "extra data"),
        "too long": ("#d=1." + "A" * (D.MAX_LINK_CHARS + 10), "too long"),
        "bad hide option": ("#hide=header,everything", "hide must be one of"),
    }


@pytest.mark.parametrize("name", list(bad_links()))
def test_broken_link_gives_message_and_no_document(name):
    fragment, expected = bad_links()[name]
    doc, _, error = D.read_fragment(fragment)
    assert doc is None
    assert error
    if expected:
        assert expected in error


def hostile_documents():
    def put(path, value):
        def mutate(doc):
            target = doc
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        return mutate

    return {
        "unknown version": (put(["version"], 99), "unknown document version 99"),
        "version as text": (put(["version"], "1"), "no version"),
        "view not known": (put(["view"], "admin"), "view must be one of"),
        "string for a number": (put(["graph", "values", "a"], "2.0"), "must be a number"),
        "bool for a number": (put(["training", "noise"], True), "must be a number"),
        "list for an object": (put(["graph"], [1, 2]), "must be an object"),
        "huge number": (put(["graph", "values", "a"], 1e300), "between"),
        "huge weight": (put(["training", "weights"], [1.0, 1e7]), "between"),
        "huge integer": (put(["training", "seed"], 10**40), "between"),
        "negative step": (put(["graph", "step"], -1), "between"),
        "float for an integer": (put(["training", "n_points"], 100.5), "whole number"),
        "too many layers": (put(["training", "hidden_layers"], [4] * 7), "more than 6"),
        "zero learning rate": (put(["training", "learning_rate"], 0), "more than 0"),
        "bad label": (put(["training", "added_points"], [[0, 0, 0]]), "-1 or 1"),
        "point as object": (put(["training", "added_points"], [{"x": 1}]), "[x, y, label]"),
        "leaf name is markup": (put(["graph", "values"], {"<img src=x onerror=alert(1)>": 1.0}), "identifier"),
        "unknown field": (put(["graph", "exec"], "x"), "unknown field 'exec'"),
        "missing field": (lambda doc: doc["training"].pop("seed"), "missing 'seed'"),
        "program too long": (put(["graph", "program"], "a" * (D.MAX_PROGRAM_CHARS + 1)), "longer than"),
        "program not text": (put(["graph", "program"], ["import os"]), "must be text"),
        "control characters": (put(["title"], "a\x00b"), "control characters"),
    }


@pytest.mark.parametrize("name", list(hostile_documents()))
def test_hostile_document_gives_message_and_no_document(name):
    mutate, expected = hostile_documents()[name]
    doc = sample()
    mutate(doc)
    text = json.dumps(doc)
    with pytest.raises(D.DocumentError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        D.from_json(text)
    fragment = "#d=" + pack(zlib.compress(text.encode()))
    read, _, error = D.read_fragment(fragment)
    assert read is None and expected in error


@pytest.mark.parametrize("text", ['{"version": NaN}', '{"version": 1, "title": Infinity}',
                                  '{"version": 1, "x": -Infinity}', '{"version": 1, "x": 1e999}'])
def test_nan_and_infinity_are_refused_in_json(text):
    with pytest.raises(D.DocumentError):
        D.from_json(text)


def test_nan_in_a_python_document_is_refused_before_encoding():
    doc = sample()
    doc["graph"]["values"]["a"] = float("nan")
    with pytest.raises(D.DocumentError, match="finite"):
        D.to_json(doc)


def test_markup_in_text_fields_stays_text():
    doc = sample()
    doc["title"] = "<img src=x onerror=alert(1)>"
    doc["graph"]["program"] = "x = 1 # <script>alert(1)</script>"
    read, _, error = D.read_fragment(D.make_fragment(doc))
    assert error is None and read["title"] == "<img src=x onerror=alert(1)>"


def test_zip_bomb_stops_at_the_cap_quickly():
    import time
    bomb = zlib.compress(b"0" * (60 * 1024 * 1024), 9)
    fragment = "#d=" + pack(bomb)
    assert len(fragment) < D.MAX_LINK_CHARS   # the bomb itself is a legal-sized link
    start = time.perf_counter()
    doc, _, error = D.read_fragment(fragment)
    assert doc is None and "more than a document may hold" in error
    assert time.perf_counter() - start < 2.0   # it never inflated 60 MB


def test_file_too_large_or_not_utf8():
    with pytest.raises(D.DocumentError, match="too large"):
        D.from_json(b" " * (D.MAX_JSON_BYTES + 1))
    with pytest.raises(D.DocumentError, match="UTF-8"):
        D.from_json(b"\xff\xfe{}")


def test_check_returns_a_copy_that_does_not_share_lists():
    doc = sample()
    clean = D.check_document(doc)
    clean["training"]["hidden_layers"].append(3)
    assert doc["training"]["hidden_layers"] == [16, 16]
    assert clean == D.check_document(copy.deepcopy(clean))
