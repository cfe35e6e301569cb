"""The trained model as a JSON file, and the recipe that loads it into the engine's MLP in plain Python.

The file holds the architecture (inputs, hidden layer sizes + the output, the hidden layers' activation; the
output is linear) and the weights in `engine.nn.MLP(...).parameters()` order: layer by layer, neuron by
neuron, each neuron's input weights then its bias. RECIPE (in the README too, and run by the tests) rebuilds
the network; `mlp([x1, x2]).data` is then the playground's score for that point (its sign is the class).
The inputs are the playground's coordinates: an imported CSV's points were maybe scaled (csv_points.py).
"""
import json

FORMAT = "micrograd-playground-model/1"

RECIPE = """\
import json; from engine.nn import MLP
saved = json.load(open("micrograd-model.json"))
mlp = MLP(2, saved["layers"], activation=saved["activation"]); [setattr(p, "data", w) for p, w in zip(mlp.parameters(), saved["weights"])]
"""


def model_document(settings, weights, step):
    """The file's content (a dict) for a run of `settings` trained `step` steps to `weights` (flat list)."""
    layers = list(settings.hidden_layers) + [1]
    sizes = [2] + layers
    expected = sum((sizes[i] + 1) * sizes[i + 1] for i in range(len(layers)))
    if len(weights) != expected:
        raise ValueError(f"{len(weights)} weights do not fit the layers {sizes}")
    return {
        "format": FORMAT,
        "inputs": ["x1", "x2"],
        "layers": layers,
        "activation": settings.activation,
        "output": "linear score: > 0 is class +1 (blue), < 0 is class -1 (orange)",
        "loss": settings.loss,
        "step": step,
        "weights": [float(w) for w in weights],
        "how_to_load": RECIPE.splitlines(),
    }


def model_json(settings, weights, step):
    return json.dumps(model_document(settings, weights, step), indent=1, allow_nan=False)


FILENAME = "micrograd-model.json"   # the name RECIPE opens
