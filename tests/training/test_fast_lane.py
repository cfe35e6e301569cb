"""The fast lane (playground/fast_lane.py): a registered button's click also posts its action straight to the
worker, which runs it by name; a name it does not know does nothing."""
from panel.links import Callback

from playground import fast_lane
from playground.training.state import TrainingSettings
from playground.training.view import TrainingView


def test_pause_is_registered_and_runs_by_name():
    view = TrainingView(TrainingSettings(n_points=30, hidden_layers=[4]))
    [callback] = Callback.registry[view.pause_button]
    code = callback.code["event:button_click"]
    assert "type: 'action'" in code and '"train-pause"' in code
    view.play()
    assert view.playing
    fast_lane.run("train-pause")
    assert not view.playing and view.pause_button.disabled and not view.play_button.disabled
    fast_lane.run("train-pause")                      # the click's own event after it: nothing left to do
    fast_lane.run("no such action")
    assert not view.playing
