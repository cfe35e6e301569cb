"""playground/page.py: the page's busy tracking is off (Panel's private entry points still exist)."""
import panel as pn
import pytest
from bokeh.document import Document

from playground import page


@pytest.fixture
def untracked(monkeypatch):
    for name in ("_add_busy_event", "_remove_busy_event"):
        monkeypatch.setattr(pn.state, name, getattr(pn.state, name))   # put back after the test
    page.without_busy_tracking()


def test_panel_still_has_the_busy_counting_it_turns_off():
    assert callable(pn.state._add_busy_event) and callable(pn.state._remove_busy_event)
    assert "busy" in pn.state.param


def test_an_event_from_the_page_no_longer_counts_as_busy(untracked):
    seen = []
    pn.state.param.watch(lambda event: seen.append(event.new), ["busy", "_busy_counter"])
    box = pn.widgets.FloatInput(value=1.0)
    changed = []
    box.param.watch(lambda event: changed.append(event.new), "value")
    doc = Document()
    model = box.get_root(doc)
    box._process_events({"value": 2.5})   # what Panel does with a change the page sent
    assert changed == [2.5] and model.value == 2.5
    assert seen == [] and pn.state.busy is False
