"""The training view's settings: everything a share link needs to rebuild the same run.

Kept deliberately small. `playground/document.py` serialises exactly these parameters, so every one
of them is plain JSON data (strings, numbers, lists). Trained weights are not part of the settings:
the same settings and seed replay the same trajectory, so they need not be stored.
"""

import param

DATASETS = ["moons", "circles", "xor", "spiral", "blobs", "custom"]
# Shown name -> stored name (the stored names are the share links' names).
ACTIVATIONS = {"ReLU": "relu", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear"}
LOSSES = {"max-margin (SVM)": "max_margin", "cross-entropy": "bce", "mean squared error": "mse"}
OPTIMIZERS = {"SGD": "sgd", "momentum": "momentum", "Adam": "adam"}

MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 16


class TrainingSettings(param.Parameterized):
    """One training run, fully described.

    Points are labelled -1 (orange) or +1 (blue). `dataset="custom"` starts from a blank canvas; points
    clicked onto the plot are kept in `added_points` for every data set, and generated points the
    student removed are listed by index in `removed_points`.
    """

    # -- data ---------------------------------------------------------------------------------------
    dataset = param.Selector(default="moons", objects=DATASETS, doc="Which generated data set.")
    noise = param.Number(default=0.1, bounds=(0.0, 0.5), doc="Noise of the generated points.")
    n_points = param.Integer(default=100, bounds=(10, 400), doc="How many points to generate.")
    seed = param.Integer(default=1337, bounds=(0, 2**31 - 1),
                         doc="Seeds the data, the weights and the mini-batch order.")
    train_fraction = param.Number(default=0.8, bounds=(0.1, 1.0),
                                  doc="Share of generated points used for training; the rest are test points.")
    added_points = param.List(default=[], item_type=list,
                              doc="Points added by clicking: [x, y, label]. They are training points.")
    removed_points = param.List(default=[], item_type=int,
                                doc="Indices of generated points the student removed.")

    # -- model --------------------------------------------------------------------------------------
    hidden_layers = param.List(default=[16, 16], item_type=int,
                               doc="Neurons in each hidden layer (0 to 6 layers of 1 to 16 neurons).")
    activation = param.Selector(default="relu", objects=ACTIVATIONS)
    loss = param.Selector(default="max_margin", objects=LOSSES)

    # -- optimisation -------------------------------------------------------------------------------
    optimizer = param.Selector(default="sgd", objects=OPTIMIZERS)
    learning_rate = param.Number(default=0.5, bounds=(0.0, None), inclusive_bounds=(False, True))
    decay = param.Number(default=0.0, bounds=(0.0, None),
                         doc="Learning rate at step k is learning_rate / (1 + decay * k).")
    l2 = param.Number(default=1e-4, bounds=(0.0, None), doc="Strength of the L2 penalty on the weights.")
    batch_size = param.Integer(default=0, bounds=(0, None), doc="0 means the full batch.")


def validate(settings):
    """Problems that param's bounds cannot express, as sentences for the student (empty if fine)."""
    problems = []
    layers = settings.hidden_layers
    if len(layers) > MAX_HIDDEN_LAYERS:
        problems.append(f"At most {MAX_HIDDEN_LAYERS} hidden layers.")
    if any(not 1 <= n <= MAX_NEURONS for n in layers):
        problems.append(f"Each hidden layer needs 1 to {MAX_NEURONS} neurons.")
    for point in settings.added_points:
        if len(point) != 3 or point[2] not in (-1, 1):
            problems.append("An added point must be [x, y, label] with label -1 or +1.")
            break
    return problems


# -- the +/- buttons beside the hidden-layer editor: each returns a new list, always a valid one --------

def add_layer(layers):
    """One more hidden layer at the end, as wide as the last one (4 neurons after none); at most 6 layers."""
    layers = list(layers)
    if len(layers) >= MAX_HIDDEN_LAYERS:
        return layers
    return layers + [layers[-1] if layers else 4]


def remove_layer(layers):
    """Without the last hidden layer (no layer left: a linear model)."""
    return list(layers)[:-1]


def resize_layer(layers, index, change):
    """Layer `index` with `change` more (or fewer) neurons, kept within 1 to 16."""
    layers = list(layers)
    layers[index] = min(max(layers[index] + change, 1), MAX_NEURONS)
    return layers
