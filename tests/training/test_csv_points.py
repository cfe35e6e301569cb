"""Points in and out as CSV (playground/training/csv_points.py) and the training view's data drawer, in CPython.

The round trip (export -> import gives the same points, labels and split), how labels and coordinates are read,
every kind of bad input (each refused with the first bad line named, changing nothing), and imported points
living in the live document: saved, linked, opened again.
"""
import copy

import numpy as np
import pytest

from playground import document as D
from playground.live_document import PlaygroundDocument
from playground.share import ShareTools
from playground.training import csv_points
from playground.training.controller import TrainingRun
from playground.training.state import MAX_IMPORTED, TrainingSettings
from playground.training.view import TrainingView


def run_of(settings):
    run = TrainingRun(settings)
    assert run.has_data, run.message
    return run


def test_export_then_import_gives_the_same_points_labels_and_split():
    generated = run_of(TrainingSettings(dataset="moons", n_points=120, noise=0.2, seed=5, train_fraction=0.7))
    text = csv_points.format_csv(generated.points, generated.labels, generated.is_train)
    points, _ = csv_points.parse_csv(text.encode("utf-8"))
    imported = run_of(TrainingSettings(dataset="imported", imported_points=points, seed=5, train_fraction=0.7))
    np.testing.assert_allclose(imported.points, generated.points, rtol=1e-5, atol=1e-6)   # 6 digits written
    assert list(imported.labels) == list(generated.labels)
    assert list(imported.is_train) == list(generated.is_train)   # same share and seed: the same split
    # and a second trip changes nothing at all
    again = csv_points.format_csv(imported.points, imported.labels, imported.is_train)
    assert again == text
    assert csv_points.parse_csv(again)[0] == points


def test_the_view_exports_what_it_shows_and_imports_it_back():
    view = TrainingView(TrainingSettings(n_points=40, hidden_layers=[4], seed=3))
    text = view.data_tools.points_csv()
    lines = text.splitlines()
    assert lines[0] == "x1,x2,label,split" and len(lines) == 41
    assert {line.split(",")[3] for line in lines[1:]} == {"train", "test"}
    before = view.run.points.copy()
    assert view.data_tools.import_csv(text)
    assert view.settings.dataset == "imported" and len(view.settings.imported_points) == 40
    np.testing.assert_allclose(view.run.points, before, rtol=1e-5, atol=1e-6)
    assert view.data_tools.message.visible and "Imported 40 points" in view.data_tools.message.object


@pytest.mark.parametrize("text, classes, orange, blue", [
    ("1,1,-1\n2,2,+1\n3,3,1.0\n", [-1, 1, 1], "-1", "1"),
    ("1,1,0\n2,2,1\n", [-1, 1], "0", "1"),
    ("1,1,5\n2,2,2\n", [1, -1], "2", "5"),        # numbers: by value
    ("x1,x2,label\n1,1,dog\n2,2,cat\n3,3,dog\n", [1, -1, 1], "cat", "dog"),   # text: alphabetical
    ("a,b,c\n1,1,yes\n2,2,no\n", [1, -1], "no", "yes"),
])
def test_labels_map_to_the_two_classes(text, classes, orange, blue):
    points, note = csv_points.parse_csv(text)
    assert [p[2] for p in points] == classes
    assert f"'{orange}' as orange (-1), '{blue}' as blue (+1)" in note


def test_small_coordinates_are_kept_and_large_ones_scaled_column_by_column_onto_minus_one_to_one():
    points, note = csv_points.parse_csv("0.5,-4.5,a\n-1.25,5,b\n")
    assert points == [[0.5, -4.5, -1], [-1.25, 5.0, 1]] and "kept as they are" in note
    points, note = csv_points.parse_csv("100,7,a\n300,7,b\n200,9,a\n")
    assert [p[:2] for p in points] == [[-1.0, -1.0], [1.0, -1.0], [0.0, 1.0]]
    assert "x1 100..300, x2 7..9 became -1..1" in note
    points, _ = csv_points.parse_csv("100,3,a\n300,3,b\n")    # a constant column goes to 0
    assert [p[1] for p in points] == [0.0, 0.0]


def test_header_blank_lines_bom_spaces_and_quotes_are_read():
    text = "\ufeffx1, x2, label\r\n\r\n 1.5 , \"2\", a\r\n-1,-2,b\r\n"
    points, _ = csv_points.parse_csv(text.encode("utf-8"))
    assert points == [[1.5, 2.0, -1], [-1.0, -2.0, 1]]


TOO_MANY = "".join(f"{i % 5},{i % 3},{i % 2}\n" for i in range(MAX_IMPORTED + 1)).encode()
BAD = {
    "empty file": (b"", "the file is empty"),
    "only blank lines": (b"\n\n  \n", "the file is empty"),
    "only a header": (b"x1,x2,label\n", "no points after the header"),
    "not UTF-8": (b"1,2,a\n3,4,b\n5,6,\xe9t\xe9\n", "line 3: the file is not UTF-8"),
    "non-numeric": (b"1,2,a\n3,oops,b\n", "line 2: x2 is 'oops', not a number"),
    "non-numeric after a header": (b"x1,x2,label\n1,2,a\nabc,4,b\n", "line 3: x1 is 'abc', not a number"),
    "NaN": (b"1,2,a\n\n3,nan,b\n", "line 3: x2 is 'nan', not a finite number"),
    "inf": (b"1,2,a\n-inf,4,b\n", "line 2: x1 is '-inf', not a finite number"),
    "too large": (b"1,2,a\n1e300,4,b\n", "line 2: x1 is '1e300', larger than"),
    "too few columns": (b"1,2,a\n3,4\n", "line 2: 2 columns; expected 3"),
    "too many columns": (b"1,2,a,train,x\n", "line 1: 5 columns; expected 3"),
    "bad header": (b"x1,x2\n1,2,a\n", "line 1: the header has 2 columns"),
    "one class only": (b"1,2,a\n3,4,a\n5,6,a\n", "every point has the label 'a'"),
    "a third class": (b"1,2,a\n3,4,b\n5,6,c\n", "line 3: a third label 'c'"),
    "empty label": (b"1,2,a\n3,4,\n", "line 2: the label is empty"),
    "bad split": (b"1,2,a,train\n3,4,b,maybe\n", "line 2: split is 'maybe'"),
    "too many rows": (TOO_MANY, f"line {MAX_IMPORTED + 1}: too many rows; at most 2,000 points"),
    "too many bytes": (b"1,2,a\n" * 40_000, "at most 200 KB"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_csv_is_refused_naming_the_first_bad_line(case):
    data, message = BAD[case]
    with pytest.raises(csv_points.CSVError) as refused:
        csv_points.parse_csv(data)
    assert message in str(refused.value)


@pytest.mark.parametrize("case", list(BAD))
def test_bad_csv_changes_nothing_in_the_view_or_the_document(case):
    document = PlaygroundDocument(training=TrainingSettings(n_points=30, hidden_layers=[4]))
    view = TrainingView(document.training, run_changed=document.run_changed)
    document.attach(view)
    view.step_button.clicks += 1
    before, revision, weights = document.snapshot(True), document.revision, view.weights()
    assert not view.data_tools.import_csv(BAD[case][0])
    assert document.snapshot(True) == before and document.revision == revision and view.weights() == weights
    message = view.data_tools.message
    assert message.visible and BAD[case][1].replace("'", "&#x27;") in message.object
    assert message.object.endswith("Nothing was changed.")


def test_a_message_from_a_file_is_escaped():
    view = TrainingView(TrainingSettings(n_points=30, hidden_layers=[4]))
    view.data_tools.import_csv(b"1,2,a\n<img src=x onerror=alert(1)>,2,b\n")
    assert "<img" not in view.data_tools.message.object and "&lt;img" in view.data_tools.message.object


def test_a_pasted_text_that_arrives_after_the_click_is_imported():
    """In the worker the click may overtake the text typed just before it."""
    view = TrainingView(TrainingSettings(n_points=30, hidden_layers=[4]))
    view.data_tools.import_button.clicks += 1
    assert "Paste some CSV text first" in view.data_tools.message.object
    view.data_tools.paste.value = "1,2,a\n3,4,b\n-1,0,a\n"
    assert view.settings.dataset == "imported" and len(view.run.points) == 3
    view.data_tools.paste.value = "1,2,a\n3,4,b\n"       # later edits wait for the next click
    assert len(view.run.points) == 3


def imported_document():
    points, _ = csv_points.parse_csv("".join(f"{i * 7 % 13},{i * 3 % 11},{'ab'[i % 2]}\n" for i in range(300)))
    document = PlaygroundDocument()
    document.training.param.update(dataset="imported", imported_points=points, seed=9, train_fraction=0.6)
    return document, points


def test_imported_points_travel_in_links_and_files_and_open_again():
    document, points = imported_document()
    doc = document.snapshot()
    assert doc["training"]["imported_points"] == points
    for read in (D.read_fragment(D.make_fragment(doc))[0], D.from_json(D.to_pretty_json(doc))):
        other = PlaygroundDocument()
        other.open_training = lambda: other.attach(TrainingView(other.training)) or other.training_view
        other.restore(read)
        assert other.training.imported_points == points and other.training.dataset == "imported"
        assert len(other.training_view.run.points) == 300
        assert other.training_view.run.is_train.sum() == 180     # 60 % of them, by the seed


def test_a_document_without_imported_points_is_written_as_before():
    doc = PlaygroundDocument().snapshot()
    assert "imported_points" not in doc["training"]
    assert D.from_json(D.to_json(doc)) == doc


def test_the_document_refuses_imported_points_it_could_not_hold():
    document, points = imported_document()
    doc = document.snapshot()
    for bad, why in (([[0.0, 0.0, 1]] * (MAX_IMPORTED + 1), "training.imported_points has more than 2000 items"),
                     ([[0.0, 0.0, 2]], "training.imported_points[0].label must be between -1 and 1"),
                     ([[0.0, "x", 1]], "training.imported_points[0].y must be a number")):
        broken = copy.deepcopy(doc)
        broken["training"]["imported_points"] = bad
        with pytest.raises(D.DocumentError) as refused:
            D.check_document(broken)
        assert why in str(refused.value)


def test_a_state_too_large_for_a_link_says_so_and_points_to_the_file(monkeypatch):
    document, _ = imported_document()
    tools = ShareTools(document)
    assert tools.show_link() is not None and tools.link.visible
    monkeypatch.setattr(D, "MAX_LINK_CHARS", 500)
    assert tools.show_link() is None
    assert not tools.link.visible and tools.message.visible
    assert "too large for a link" in tools.message.object and "Download JSON" in tools.message.object
    assert tools._json_file().getvalue()      # the file still holds all of it


def test_the_largest_import_fits_in_a_link():
    """2,000 points of 6 digits with the biggest network's weights stay under the link limit."""
    rng = np.random.default_rng(0)
    rows = "".join(f"{x:.6g},{y:.6g},{'ab'[int(k)]}\n" for x, y, k in
                   zip(rng.uniform(-1, 1, MAX_IMPORTED), rng.uniform(-1, 1, MAX_IMPORTED), rng.integers(0, 2, MAX_IMPORTED)))
    points, _ = csv_points.parse_csv(rows)
    document = PlaygroundDocument()
    document.training.param.update(dataset="imported", imported_points=points, hidden_layers=[16] * 6)
    doc = document.snapshot()
    doc["training"]["weights"] = list(rng.uniform(-1, 1, 2 * 16 + 16 + 5 * (16 * 16 + 16) + 17))
    assert len(D.make_fragment(doc)) < D.MAX_LINK_CHARS


def test_an_imported_point_past_the_generated_limit_can_be_removed():
    rows = "".join(f"{i % 7 - 3},{i % 5 - 2},{i % 2}\n" for i in range(1500))
    view = TrainingView(TrainingSettings(hidden_layers=[4]))
    assert view.data_tools.import_csv(rows)
    view.settings.param.update(**view.run.removal(1400))
    assert view.settings.removed_points == [1400] and not view.run.message
    assert len(view.run.points) == 1499
