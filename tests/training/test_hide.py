"""The training view hides its own parts (hide(parts)); app.py asks each view, never reaches into its widgets."""

import panel as pn

from playground.training.view import TrainingView


def test_training_view_hides_the_parts_named_and_shows_the_others():
    view = TrainingView()
    assert isinstance(view, pn.viewable.Viewer)
    controls = [view.data_controls, view.model_controls]
    curves = [view.curves.loss_figure, view.curves.accuracy_figure]
    view.hide({"controls", "editor"})  # "editor" is the graph view's: nothing here
    assert [c.visible for c in controls + curves] == [False, False, True, True]
    view.hide({"curves"})
    assert [c.visible for c in controls + curves] == [True, True, False, False]
    view.hide(set())
    assert all(c.visible for c in controls + curves)
