"""The tour format (playground/lesson/tour.py) and the built-in tour (playground/lesson/lessons.py)."""
import base64
import json
import zlib

import pytest

from playground import document
from playground.graph import GraphState
from playground.lesson import tour as T
from playground.lesson.lessons import builtin_tour
from playground.live_document import default_document


def small_tour(**lesson):
    doc = default_document()
    doc["graph"] = {"program": "a = 3.0\nb = a + a\n", "values": {}, "step": 0}
    base = {"title": "used twice", "text": "See `a.grad`.", "link": "https://x.org/app.html" + document.make_fragment(doc),
            "show": "break"}
    return {"title": "my tour", "lessons": [dict(base, **lesson)]}


def test_builtin_tour_follows_the_article():
    tour = builtin_tour()
    assert [l["title"] for l in tour["lessons"]] == ["A Value", "An op's closure", "A value used twice",
                                                      "Topological order", "A neuron", "A training step"]
    assert [l["show"] for l in tour["lessons"]] == ["graph", "code", "break", "topo", "nudge", "training-step"]
    for lesson in tour["lessons"][:5]:
        doc, options, error = document.read_fragment(T.link_fragment(lesson["link"]))
        assert error is None and doc["title"] == lesson["title"]
        assert GraphState(program=doc["graph"]["program"]).error == ""   # each saved graph opens
    assert "b = a + a" in document.read_fragment(tour["lessons"][2]["link"])[0]["graph"]["program"]


def test_a_tour_travels_in_a_link():
    tour = T.check_tour(small_tour())
    fragment = T.tour_link(tour, lesson=1, single=True)
    got, index, single = T.read_tour_fragment(fragment, builtin_tour)
    assert got == tour and index == 0 and single
    assert T.read_tour_fragment("#tour=micrograd&lesson=4", builtin_tour)[:2] == (builtin_tour(), 3)
    assert T.read_tour_fragment("#d=1.abc&view=graph", builtin_tour) is None     # a share link, not a tour
    assert T.tour_from_json(json.dumps(small_tour())) == tour


def packed(raw):
    return "1." + base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


@pytest.mark.parametrize("fragment, message", [
    ("#tour=2.abc", "unknown tour link format"),
    ("#tour=1.***", "not base64url"),
    ("#tour=1.YWJj", "bad compression"),
    ("#tour=" + packed(b"[1, 2"), "not valid JSON"),
    ("#tour=" + packed(b'{"lessons": []}'), "1 to 40 lessons"),
    ("#tour=" + packed(b" " * (T.MAX_JSON_BYTES + 10)), "damaged or too big"),           # a zip bomb stops
    ("#tour=micrograd&lesson=0", "no lesson '0'"),
    ("#tour=micrograd&lesson=x", "no lesson 'x'"),
    ("#tour=" + "A" * (T.MAX_LINK_CHARS + 5), "too long"),
])
def test_bad_tour_links_are_refused_with_a_message(fragment, message):
    with pytest.raises(T.TourError, match=message):
        T.read_tour_fragment(fragment, builtin_tour)


@pytest.mark.parametrize("change, message", [
    ({"show": "eval"}, "show must be one of"),
    ({"link": "https://x.org/app.html#d=1.nonsense"}, "not a playground share link"),
    ({"link": "https://x.org/app.html"}, "not a playground share link"),
    ({"title": "x" * 101}, "longer than 100"),
    ({"title": "a\nb"}, "control characters"),
    ({"text": "bell \x07"}, "control characters"),
    ({"text": 3}, "must be text"),
    ({"extra": 1}, "must be"),
])
def test_bad_lessons_are_refused(change, message):
    with pytest.raises(T.TourError, match=message):
        T.check_tour(small_tour(**change))


def test_lesson_text_is_escaped_never_html():
    text = "Look at `a.grad`.\n\n<script>alert(1)</script> & <b>bold</b>"
    out = T.text_html(text)
    assert out == ("<p>Look at <code>a.grad</code>.</p>"
                   "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>")
