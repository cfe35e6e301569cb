"""The trained model's JSON file: the README's three-line recipe loads it into engine.nn.MLP in CPython, and the
rebuilt network gives the playground's predictions."""
from pathlib import Path

import numpy as np
import pytest

from playground.training import model_file
from playground.training.state import TrainingSettings
from playground.training.view import TrainingView

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("settings", [dict(hidden_layers=[8, 4], activation="relu"),
                                      dict(hidden_layers=[5], activation="tanh", dataset="circles"),
                                      dict(hidden_layers=[], activation="sigmoid")])
def test_the_recipe_rebuilds_the_trained_network_with_the_same_predictions(settings, tmp_path, monkeypatch):
    view = TrainingView(TrainingSettings(n_points=60, seed=11, **settings))
    view.run.train(max_steps=25)
    assert view.run.step_count == 25
    (tmp_path / model_file.FILENAME).write_text(view.data_tools.model_json())
    monkeypatch.chdir(tmp_path)
    assert len(model_file.RECIPE.strip().splitlines()) == 3
    space = {}
    exec(model_file.RECIPE, space)   # the recipe as the README shows it; the file is ours
    mlp = space["mlp"]
    points = view.run.points
    scores = [mlp([float(x1), float(x2)]).data for x1, x2 in points]
    np.testing.assert_allclose(scores, view.run.scores(points), rtol=1e-9, atol=1e-12)
    assert [p.data for p in mlp.parameters()] == view.weights()   # the engine's parameter order


def test_the_file_says_what_it_holds():
    view = TrainingView(TrainingSettings(n_points=30, hidden_layers=[3], activation="tanh", loss="bce"))
    view.run.train(max_steps=2)
    saved = model_file.model_document(view.settings, view.weights(), view.run.step_count)
    assert saved["layers"] == [3, 1] and saved["activation"] == "tanh" and saved["loss"] == "bce"
    assert saved["step"] == 2 and len(saved["weights"]) == 3 * 3 + 4
    with pytest.raises(ValueError):
        model_file.model_document(view.settings, view.weights()[:-1], 2)


def test_the_readme_shows_the_recipe_the_tests_run():
    readme = "\n".join(line.strip() for line in README.read_text().splitlines())   # (it is indented in a list)
    assert "```python\n" + model_file.RECIPE + "```" in readme
