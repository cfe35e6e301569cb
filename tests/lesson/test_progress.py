"""A student's progress: recorded once per exercise by the exercise panel, kept by the document (and so by a
link, the address and the device), refused when malformed, and written out as a text to hand in."""
import concurrent.futures

import pytest

from playground import document as D
from playground.lesson import progress as P
from playground.lesson.exercise_view import ExercisePanel
from playground.lesson.exercises import exercises_tour
from playground.live_document import PlaygroundDocument, default_document


def test_the_panel_checks_after_each_change_records_once_and_the_link_keeps_it():
    # In a thread of its own: a panel outside a page, with no event loop running (after the browser tests,
    # Playwright's sync API keeps one running in the main thread, and the panel would wait for its next turn).
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(_checks_after_each_change).result()


def _checks_after_each_change():
    document = PlaygroundDocument()
    panel = ExercisePanel(document, predict_score=lambda: "3 of 4 right first time")
    tour = exercises_tour()
    document.graph.program = "a = 2.0\nb = -3.0\nguess = 0.0\nc = a * b\nL = c * 4.0\n"
    panel.show(tour, 0)
    assert "Not solved yet" in panel.status.object and document.progress == []
    document.graph.set_value("guess", 12)                 # a wrong attempt: not accepted
    assert "Not solved yet" in panel.status.object and "it is 12" in panel.status.object
    panel.show_hint()
    document.graph.set_value("guess", -12)
    assert "\u2713 Solved" in panel.status.object
    [entry] = document.progress
    assert entry["exercise"] == "The gradient of a product" and entry["first_try"] is False
    document.graph.set_value("guess", -12.0001)            # solved once: not recorded twice
    assert len(document.progress) == 1
    # The link holds it; opening another document (a lesson's link) keeps it.
    doc, _, error = D.read_fragment(document.link()[0])
    assert error is None and doc["progress"] == document.progress
    fresh = PlaygroundDocument()
    fresh.restore(doc)
    fresh.restore(default_document())
    assert fresh.progress == document.progress
    panel.toggle_progress()
    text = panel.progress_text.value
    assert "solved The gradient of a product (" in text and "after the hint" in text
    assert "3 of 4 right first time" in text and "not proof" in text


@pytest.mark.parametrize("bad, message", [
    ([{"tour": "t", "exercise": "e", "at": "yesterday", "first_try": True}], "at must be a time"),
    ([{"tour": "t", "exercise": "e", "at": "2026-12-04 18:05 UTC", "first_try": "yes"}], "true or false"),
    ([{"tour": "t", "exercise": "e", "at": "2026-12-04 18:05 UTC"}], "missing 'first_try'"),
    ([{"tour": "t" * 101, "exercise": "e", "at": "2026-12-04 18:05 UTC", "first_try": True}], "longer than 100"),
    ("all of them", "must be a list"),
    ([P.record([], "t", f"e{i}", True, "2026-12-04 18:05 UTC")[0] for i in range(201)], "more than 200"),
])
def test_a_document_with_bad_progress_is_refused(bad, message):
    doc = dict(default_document(), progress=bad)
    with pytest.raises(D.DocumentError, match=message):
        D.check_document(doc)


def test_documents_without_progress_or_predict_are_written_as_before():
    doc = default_document()
    assert "progress" not in doc and "predict" not in doc["graph"]
    with_both = D.check_document(dict(doc, progress=[], graph=dict(doc["graph"], predict=False)))
    assert D.to_json(with_both) == D.to_json(doc)
    on = D.check_document(dict(doc, graph=dict(doc["graph"], predict=True)))
    assert on["graph"]["predict"] is True
    with pytest.raises(D.DocumentError, match="graph.predict must be true or false"):
        D.check_document(dict(doc, graph=dict(doc["graph"], predict=1)))


def test_the_progress_text_says_which_when_and_how():
    progress = P.record([], "Exercises", "A dead ReLU", True, "2026-12-04 18:05 UTC")
    progress = P.record(progress, "Exercises", "The spiral", False, "2026-12-04 18:20 UTC")
    assert P.progress_text(progress) == (
        "My progress in the micrograd playground\nExercises:\n"
        "  solved A dead ReLU (2026-12-04 18:05 UTC, before the hint)\n"
        "  solved The spiral (2026-12-04 18:20 UTC, after the hint)\n"
        "2 solved, 1 of them before the hint.\n" + P.NOT_PROOF)
    assert "No exercise solved yet." in P.progress_text([])
