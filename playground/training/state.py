"""The training view's settings: everything a share link needs to rebuild the same run.

Kept deliberately small. `playground/document.py` serialises exactly these parameters, so every one
of them is plain JSON data (strings, numbers, lists). Trained weights are not part of the settings:
the same settings and seed replay the same trajectory, so they need not be stored.
"""

import param

from playground import bounds

DATASETS = ["moons", "circles", "xor", "spiral", "blobs", "custom", "imported"]
# Shown name -> stored name (the stored names are the share links' names).
ACTIVATIONS = {"ReLU": "relu", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear"}
LOSSES = {"max-margin (SVM)": "max_margin", "cross-entropy": "bce", "mean squared error": "mse"}
OPTIMIZERS = {"SGD": "sgd", "momentum": "momentum", "Adam": "adam"}

MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 16
MAX_GENERATED = 400      # generated points
MAX_ADDED = 1_000        # points clicked onto the plot
MAX_IMPORTED = 2_000     # points imported from a CSV file (csv_points.py); they replace the generated ones
MAX_DATA = max(MAX_GENERATED, MAX_IMPORTED)   # the most points a data set (generated or imported) holds
BIG = 1e6                # coordinates, rates and strengths (and trained weights) stay within +-BIG


def check_point(point, where):
    """An added point: [x, y, label] with label -1 or +1."""
    if not isinstance(point, list) or len(point) != 3:
        raise bounds.Refused(f"{where} must be [x, y, label]")
    x = bounds.number(point[0], f"{where}.x", -BIG, BIG)
    y = bounds.number(point[1], f"{where}.y", -BIG, BIG)
    label = bounds.integer(point[2], f"{where}.label", -1, 1)
    if label == 0:
        raise bounds.Refused(f"{where}.label must be -1 or 1")
    return [x, y, label]


def check_removed(index, where):
    return bounds.integer(index, where, 0, MAX_DATA - 1)


def check_layer(neurons, where):
    if isinstance(neurons, bool) or not isinstance(neurons, int) or not 1 <= neurons <= MAX_NEURONS:
        raise bounds.Refused(f"{where} must be 1 to {MAX_NEURONS} neurons")
    return neurons


# Settings that only change how the next steps go; clicked points change the data but keep the network;
# any other change starts a fresh run (view.py and phase_step.py follow these lists).
LIVE_SETTINGS = ["learning_rate", "decay", "l2", "batch_size"]
POINT_EDITS = ["added_points", "removed_points"]


class TrainingSettings(param.Parameterized):
    """One training run, fully described.

    Points are labelled -1 (orange) or +1 (blue). `dataset="custom"` starts from a blank canvas; points
    clicked onto the plot are kept in `added_points` for every data set, and generated points the
    student removed are listed by index in `removed_points`. `dataset="imported"` is the points of
    `imported_points` (a CSV file's, see csv_points.py) in place of generated ones.
    """

    # -- data ---------------------------------------------------------------------------------------
    dataset = param.Selector(default="moons", objects=DATASETS, doc="Which generated data set.")
    noise = param.Number(default=0.1, bounds=(0.0, 0.5), doc="Noise of the generated points.")
    n_points = param.Integer(default=100, bounds=(10, MAX_GENERATED), doc="How many points to generate.")
    seed = param.Integer(default=1337, bounds=(0, 2**31 - 1),
                         doc="Seeds the data, the weights and the mini-batch order.")
    train_fraction = param.Number(default=0.8, bounds=(0.1, 1.0),
                                  doc="Share of generated points used for training; the rest are test points.")
    added_points = param.List(default=[], item_type=list,
                              doc="Points added by clicking: [x, y, label]. They are training points.")
    removed_points = param.List(default=[], item_type=int,
                                doc="Indices of generated (or imported) points the student removed.")
    imported_points = param.List(default=[], item_type=list,
                                 doc="Points imported from CSV: [x, y, label]; the data set 'imported' is these, "
                                     "split into train and test points as generated ones are.")

    # -- model --------------------------------------------------------------------------------------
    hidden_layers = param.List(default=[16, 16], item_type=int,
                               doc="Neurons in each hidden layer (0 to 6 layers of 1 to 16 neurons).")
    activation = param.Selector(default="relu", objects=ACTIVATIONS)
    loss = param.Selector(default="max_margin", objects=LOSSES)

    # -- optimisation -------------------------------------------------------------------------------
    optimizer = param.Selector(default="sgd", objects=OPTIMIZERS)
    learning_rate = param.Number(default=0.5, bounds=(0.0, BIG), inclusive_bounds=(False, True))
    decay = param.Number(default=0.0, bounds=(0.0, BIG),
                         doc="Learning rate at step k is learning_rate / (1 + decay * k).")
    l2 = param.Number(default=1e-4, bounds=(0.0, BIG), doc="Strength of the L2 penalty on the weights.")
    batch_size = param.Integer(default=0, bounds=(0, MAX_DATA + MAX_ADDED), doc="0 means the full batch.")

    # What param cannot declare: the most items of each list and the rule of one item
    # (playground/bounds.py reads it; the document and the widgets check with it).
    RULES = {"added_points": (MAX_ADDED, check_point),
             "removed_points": (MAX_DATA, check_removed),
             "imported_points": (MAX_IMPORTED, check_point),
             "hidden_layers": (MAX_HIDDEN_LAYERS, check_layer)}


def validate(settings):
    """Problems with the lists (param's bounds check the numbers), as sentences for the student (empty if fine)."""
    problems = []
    for name in TrainingSettings.RULES:
        try:
            bounds.check_param(settings, name, getattr(settings, name), settings.param[name].label)
        except bounds.Refused as error:
            problems.append(f"{str(error)[0].upper()}{str(error)[1:]}.")
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
