"""From a notebook to the playground: a link that opens a Value's graph (and a trained MLP with its points).

    from engine import Value, playground_link
    a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    c = (a * b).tanh(); c.label = "c"
    playground_link(c, base_url="https://your.host/playground/")   # -> 'https://your.host/playground/#d=1.eN...'

The link's fragment is the playground's own (`#d=1.<base64url(zlib(JSON))>`); this module holds the format's
fixed parts, which playground/document.py (the one owner of the document: schema, checks, decoding) imports
from here, so the two cannot drift. The graph travels as a program of the playground's language
(engine/program.py): the page reads it with its safe parser, never runs it, and computes data and grads
itself (a fresh backward). The engine imports nothing from playground/: the document written here is
checked against the page's own decoder in tests/document/test_notebook_link.py.
"""
import base64
import json
import math
import zlib

from .graph import build_topo
from .program import program_from_value

LINK_FORMAT = "1"           # how the fragment payload is packed: JSON -> zlib -> base64url
LINK_KEY = "d"              # the fragment looks like  #d=1.<base64url>&hide=...&view=...
MAX_LINK_CHARS = 100_000    # the payload text in the fragment

# Format 1 compresses against this fixed dictionary: text most documents share, so a link only
# pays for what differs (a preset graph link shrinks from ~450 to ~150 characters). It must
# never change: old links need it byte for byte. A new dictionary means a new LINK_FORMAT.
LINK_DICTIONARY = (
    '{"version":1,"view":"graph","title":"","graph":{"program":"x = 2.0\\ny = -3.0\\nw = 1.0\\n'
    'b = 0.5\\nz = x * w + y ** 2 - b / x\\no = tanh(relu(exp(log(sigmoid(z)))))\\n","values":{},'
    '"step":0},"training":{"dataset":"moons","noise":0.1,"n_points":100,"seed":1337,'
    '"train_fraction":0.8,"added_points":[],"removed_points":[],"hidden_layers":[16,16],'
    '"activation":"relu","loss":"max_margin","optimizer":"sgd","learning_rate":0.1,"decay":0.0,'
    '"l2":0.0001,"batch_size":0,"step":0,"weights":null}}'
).encode("ascii")

# What the page accepts (playground/document.py, graph/language.py, training/state.py; a test compares).
SCHEMA_VERSION = 1
MAX_NODES = 2000            # nodes of a graph the graph view draws
MAX_PROGRAM_CHARS = 100_000
MAX_LEAF = 1e15             # a leaf's value
MAX_HIDDEN_LAYERS, MAX_NEURONS, MAX_POINTS, BIG = 6, 16, 1_000, 1e6
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
# A fresh page's training settings: a link that carries them leaves the training view as it is (not even built).
TRAINING_DEFAULTS = {
    "dataset": "moons", "noise": 0.1, "n_points": 100, "seed": 1337, "train_fraction": 0.8,
    "added_points": [], "removed_points": [], "hidden_layers": [16, 16], "activation": "relu",
    "loss": "max_margin", "optimizer": "sgd", "learning_rate": 0.5, "decay": 0.0, "l2": 0.0001,
    "batch_size": 0, "step": 0, "weights": None,
}
DEFAULT_PROGRAM = "a = 2.0\nb = -3.0\nc = a * b\n"   # the graph of a link made for an MLP only


def pack_payload(json_text):
    """The fragment's payload for a document's compact JSON text: '1.' + base64url(zlib with the dictionary)."""
    packer = zlib.compressobj(9, zdict=LINK_DICTIONARY)
    packed = packer.compress(json_text.encode("utf-8")) + packer.flush()
    return LINK_FORMAT + "." + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def graph_program(root):
    """root's graph as the program the page draws; ValueError if the page would refuse it."""
    nodes = build_topo(root)
    if len(nodes) > MAX_NODES:
        raise ValueError(f"the graph has {len(nodes):,} nodes; the playground draws at most {MAX_NODES:,}")
    for node in nodes:
        if not math.isfinite(node.data):
            raise ValueError(f"{node.label or 'a node'} is {node.data}: the playground draws finite numbers only")
        if not node._prev and abs(node.data) > MAX_LEAF:
            raise ValueError(f"{node.label or 'a leaf'} = {node.data:g}: the playground's leaves stay within "
                             f"+-{MAX_LEAF:g}")
    program = program_from_value(root)
    if len(program) > MAX_PROGRAM_CHARS:
        raise ValueError(f"the graph's program is {len(program):,} characters; the playground reads at most "
                         f"{MAX_PROGRAM_CHARS:,}")
    return program


def _number(x, what):
    x = float(x)
    if not math.isfinite(x) or abs(x) > BIG:
        raise ValueError(f"{what} must be a finite number within +-{BIG:g}, not {x!r}")
    return x


def training_section(model, points=None, labels=None):
    """The training part of the document for an engine MLP(2, [..., 1]) with its weights, and, when given,
    its points (the page's "custom" data set: each point is a training point)."""
    layers = [len(layer.neurons) for layer in model.layers]
    nin = len(model.layers[0].neurons[0].w)
    if nin != 2 or layers[-1] != 1:
        raise ValueError(f"the playground trains an MLP(2, [..., 1]) on 2-D points, not MLP({nin}, {layers})")
    hidden = layers[:-1]
    if len(hidden) > MAX_HIDDEN_LAYERS or any(n > MAX_NEURONS for n in hidden):
        raise ValueError(f"the playground has at most {MAX_HIDDEN_LAYERS} hidden layers of {MAX_NEURONS} neurons")
    activation = getattr(model, "activation", "relu")
    if activation not in ACTIVATIONS:
        raise ValueError(f"the playground's activations are {', '.join(ACTIVATIONS)}, not {activation!r}")
    section = dict(TRAINING_DEFAULTS, hidden_layers=hidden, activation=activation,
                   weights=[_number(p.data, "a weight") for p in model.parameters()])
    if points is not None:
        points, labels = list(points), list(labels if labels is not None else [])
        if len(points) != len(labels):
            raise ValueError(f"{len(points)} points but {len(labels)} labels")
        if len(points) > MAX_POINTS:
            raise ValueError(f"the playground keeps at most {MAX_POINTS:,} points, not {len(points):,}")
        added = []
        for k, ((x1, x2), label) in enumerate(zip(points, labels)):
            if label not in (-1, 1):
                raise ValueError(f"point {k}: a label is -1 or +1, not {label!r}")
            added.append([_number(x1, f"point {k}'s x1"), _number(x2, f"point {k}'s x2"), int(label)])
        section.update(dataset="custom", added_points=added)
    return section


def playground_document(root=None, model=None, points=None, labels=None, title=""):
    """The playground document (a dict, schema version 1) of a Value's graph and/or an MLP with its points."""
    if root is None and model is None:
        raise ValueError("give a Value (root) or an MLP (model)")
    title = " ".join(str(title).split())
    if len(title) > 100:
        raise ValueError("a title has at most 100 characters")
    return {
        "version": SCHEMA_VERSION, "view": "graph" if root is not None else "training", "title": title,
        "graph": {"program": graph_program(root) if root is not None else DEFAULT_PROGRAM, "values": {}, "step": 0},
        "training": training_section(model, points, labels) if model is not None else dict(TRAINING_DEFAULTS),
    }


def playground_link(root=None, base_url="http://127.0.0.1:8000/", *, model=None, points=None, labels=None,
                    title=""):
    """A link to the playground at base_url that opens root's graph in the graph view (data and grads as a
    fresh backward gives them), and/or, with model, that MLP's weights in the training view (with points and
    labels: on those points). Raises ValueError when the playground would refuse what it is given."""
    doc = playground_document(root, model, points, labels, title)
    payload = pack_payload(json.dumps(doc, separators=(",", ":"), allow_nan=False))
    if len(payload) > MAX_LINK_CHARS:
        raise ValueError(f"the link would be {len(payload):,} characters; a playground link holds at most "
                         f"{MAX_LINK_CHARS:,} (fewer points or a smaller graph)")
    return f"{base_url.split('#')[0]}#{LINK_KEY}={payload}"
