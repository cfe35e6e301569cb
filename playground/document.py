"""The shareable document: one versioned dict that holds the whole playground state.

Three jobs, all here so that nothing else has to trust a link or a file:
  1. the schema and its validation (types, ranges, sizes, finite numbers),
  2. the encodings: JSON (download/upload) and the URL fragment
     (JSON -> zlib -> base64url, behind a format prefix),
  3. the mapping between a document and the views' param state.

Nothing read from a link or a file is ever executed: the graph program stays a
string here and only the graph view's own safe parser reads it later.
"""
import base64
import binascii
import json
import math
import re
import zlib

from .training.state import TrainingSettings

SCHEMA_VERSION = 1          # the schema a document is written with today
LINK_FORMAT = "1"           # how the fragment payload is packed: JSON -> zlib -> base64url
LINK_KEY = "d"              # the fragment looks like  #d=1.<base64url>&hide=...&view=...

# Hard limits: a link or a file bigger than these is refused before any real work.
MAX_LINK_CHARS = 100_000     # the payload text in the fragment
MAX_JSON_BYTES = 256 * 1024  # the JSON after decompression (zip bombs stop here)
MAX_PROGRAM_CHARS = 100_000   # the graph language's own limits: a training point's graph is long
MAX_TITLE_CHARS = 100
MAX_LEAVES = 2_000
MAX_POINTS = 1_000
MAX_WEIGHTS = 20_000
MAX_LAYERS = 6
MAX_NEURONS = 16
MAX_STEPS = 1_000_000

VIEWS = ("graph", "training")
HIDEABLE = ("header", "controls", "editor", "curves")


class DocumentError(ValueError):
    """A link or file that cannot be read; the message is meant for the user."""


# ---------------------------------------------------------------------------
# Validation helpers: each checks one value and names the field when it fails.

def _number(value, where, lo, hi):
    # bool is an int in Python; true/false is not a number in a document.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DocumentError(f"{where} must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise DocumentError(f"{where} must be a finite number")
    if not lo <= value <= hi:   # also stops huge ints before float() could overflow
        raise DocumentError(f"{where} must be between {lo} and {hi}")
    return float(value)


def _integer(value, where, lo, hi):
    if isinstance(value, bool) or not isinstance(value, int):
        raise DocumentError(f"{where} must be a whole number")
    if not lo <= value <= hi:
        raise DocumentError(f"{where} must be between {lo} and {hi}")
    return value


def _text(value, where, max_chars):
    if not isinstance(value, str):
        raise DocumentError(f"{where} must be text")
    if len(value) > max_chars:
        raise DocumentError(f"{where} is longer than {max_chars} characters")
    if any((ord(c) < 32 and c not in "\n\t") or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise DocumentError(f"{where} contains control characters")
    return value


def _choice(value, where, options):
    if value not in options:
        raise DocumentError(f"{where} must be one of {', '.join(map(str, options))}")
    return value


def _object(value, where, keys):
    """A JSON object with exactly these keys (no unknown ones: the version decides the shape)."""
    if not isinstance(value, dict):
        raise DocumentError(f"{where} must be an object")
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise DocumentError(f"{where} has unknown field {unknown[0][:40]!r}")
    missing = [k for k in keys if k not in value]
    if missing:
        raise DocumentError(f"{where} is missing {missing[0]!r}")
    return value


def _list(value, where, max_items):
    if not isinstance(value, list):
        raise DocumentError(f"{where} must be a list")
    if len(value) > max_items:
        raise DocumentError(f"{where} has more than {max_items} items")
    return value


# ---------------------------------------------------------------------------
# The schema, version 1.

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,31}\Z")  # the graph language's NAME rule
BIG = 1e6          # points, weights and training numbers live in [-BIG, BIG]
BIG_LEAF = 1e15    # a leaf may be larger: students try big numbers on purpose

GRAPH_KEYS = ("program", "values", "step")
# The training section mirrors playground/training/state.py's TrainingSettings, plus how far
# the run went ("step") and, optionally, the trained weights.
TRAINING_KEYS = ("dataset", "noise", "n_points", "seed", "train_fraction", "added_points",
                 "removed_points", "hidden_layers", "activation", "loss", "optimizer",
                 "learning_rate", "decay", "l2", "batch_size", "step", "weights")
DATASETS = ("moons", "circles", "xor", "spiral", "blobs", "custom")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
LOSSES = ("max_margin", "bce", "mse")
OPTIMIZERS = ("sgd", "momentum", "adam")
MAX_GENERATED = 400


def check_graph(graph):
    graph = _object(graph, "graph", GRAPH_KEYS)
    values = graph["values"]
    if not isinstance(values, dict):
        raise DocumentError("graph.values must be an object")
    if len(values) > MAX_LEAVES:
        raise DocumentError(f"graph.values has more than {MAX_LEAVES} leaves")
    clean_values = {}
    for name, value in values.items():
        if not IDENTIFIER.match(name):
            raise DocumentError("graph.values has a name that is not an identifier")
        clean_values[name] = _number(value, f"graph.values.{name}", -BIG_LEAF, BIG_LEAF)
    return {
        "program": _text(graph["program"], "graph.program", MAX_PROGRAM_CHARS),
        "values": clean_values,
        "step": _integer(graph["step"], "graph.step", 0, MAX_STEPS),
    }


def _point(point, where):
    if not isinstance(point, list) or len(point) != 3:
        raise DocumentError(f"{where} must be [x, y, label]")
    x = _number(point[0], f"{where}.x", -BIG, BIG)
    y = _number(point[1], f"{where}.y", -BIG, BIG)
    label = _integer(point[2], f"{where}.label", -1, 1)
    if label == 0:
        raise DocumentError(f"{where}.label must be -1 or 1")
    return [x, y, label]


def check_training(training):
    t = _object(training, "training", TRAINING_KEYS)
    added = _list(t["added_points"], "training.added_points", MAX_POINTS)
    removed = _list(t["removed_points"], "training.removed_points", MAX_GENERATED)
    hidden = _list(t["hidden_layers"], "training.hidden_layers", MAX_LAYERS)
    weights = t["weights"]
    if weights is not None:
        weights = [_number(w, "training.weights", -BIG, BIG)
                   for w in _list(weights, "training.weights", MAX_WEIGHTS)]
    return {
        "dataset": _choice(t["dataset"], "training.dataset", DATASETS),
        "noise": _number(t["noise"], "training.noise", 0.0, 0.5),
        "n_points": _integer(t["n_points"], "training.n_points", 10, MAX_GENERATED),
        "seed": _integer(t["seed"], "training.seed", 0, 2**31 - 1),
        "train_fraction": _number(t["train_fraction"], "training.train_fraction", 0.1, 1.0),
        "added_points": [_point(p, f"training.added_points[{i}]") for i, p in enumerate(added)],
        "removed_points": [_integer(i, "training.removed_points", 0, MAX_GENERATED - 1) for i in removed],
        "hidden_layers": [_integer(n, "training.hidden_layers", 1, MAX_NEURONS) for n in hidden],
        "activation": _choice(t["activation"], "training.activation", ACTIVATIONS),
        "loss": _choice(t["loss"], "training.loss", LOSSES),
        "optimizer": _choice(t["optimizer"], "training.optimizer", OPTIMIZERS),
        "learning_rate": _positive(t["learning_rate"], "training.learning_rate"),
        "decay": _number(t["decay"], "training.decay", 0.0, BIG),
        "l2": _number(t["l2"], "training.l2", 0.0, BIG),
        "batch_size": _integer(t["batch_size"], "training.batch_size", 0, MAX_POINTS + MAX_GENERATED),
        "step": _integer(t["step"], "training.step", 0, MAX_STEPS),
        "weights": weights,
    }


def _positive(value, where):
    value = _number(value, where, 0.0, BIG)
    if value == 0:
        raise DocumentError(f"{where} must be more than 0")
    return value


# How to read each schema version. When the schema grows, add version 2 here and an
# upgrade function that turns a checked version-1 document into a version-2 one:
# old links then keep opening exactly as they did.
UPGRADES = {}   # {old_version: function(document) -> document of old_version + 1}


def check_document(doc):
    """Validate a decoded document and return a clean copy in today's schema."""
    if not isinstance(doc, dict):
        raise DocumentError("the document must be a JSON object")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise DocumentError("the document has no version number")
    if version > SCHEMA_VERSION or (version < SCHEMA_VERSION and version not in UPGRADES):
        raise DocumentError(f"unknown document version {version} (this page reads up to {SCHEMA_VERSION})")
    while version < SCHEMA_VERSION:
        doc = UPGRADES[version](doc)
        version += 1
    doc = _object(doc, "document", ("version", "view", "title", "graph", "training"))
    return {
        "version": SCHEMA_VERSION,
        "view": _choice(doc["view"], "view", VIEWS),
        "title": _text(doc["title"], "title", MAX_TITLE_CHARS),
        "graph": check_graph(doc["graph"]),
        "training": check_training(doc["training"]),
    }


# ---------------------------------------------------------------------------
# JSON: the form of a downloaded file and the inside of a link.

def _refuse_constant(name):
    raise DocumentError(f"{name} is not a number a document may hold")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise DocumentError("a number in the document is too large")
    return value


def to_json(doc):
    """Compact JSON of a checked document (what goes into a link)."""
    return json.dumps(check_document(doc), separators=(",", ":"), allow_nan=False)


def to_pretty_json(doc):
    """Indented JSON of a checked document (what a downloaded file holds)."""
    return json.dumps(check_document(doc), indent=1, allow_nan=False)


def from_json(text):
    """Parse and check JSON text or bytes; raises DocumentError with a readable message."""
    if isinstance(text, (bytes, bytearray)):
        if len(text) > MAX_JSON_BYTES:
            raise DocumentError("the file is too large to be a playground document")
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise DocumentError("the file is not UTF-8 text") from None
    if len(text) > MAX_JSON_BYTES:
        raise DocumentError("the document is too large")
    try:
        doc = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except DocumentError:
        raise
    # ValueError covers bad JSON and integers too long to convert; RecursionError deep nesting.
    except (ValueError, RecursionError):
        raise DocumentError("the document is not valid JSON") from None
    return check_document(doc)


# ---------------------------------------------------------------------------
# The URL fragment:  #d=1.<base64url(zlib(json))>  plus optional embedding options.

BASE64URL = re.compile(r"[A-Za-z0-9_-]*\Z")

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


def encode_payload(doc):
    packer = zlib.compressobj(9, zdict=LINK_DICTIONARY)
    packed = packer.compress(to_json(doc).encode("utf-8")) + packer.flush()
    return LINK_FORMAT + "." + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode_payload(payload):
    """The inverse of encode_payload, refusing anything malformed or oversized."""
    if len(payload) > MAX_LINK_CHARS:
        raise DocumentError("the link is too long")
    link_format, dot, data = payload.partition(".")
    if not dot:
        raise DocumentError("the link has no format number")
    if link_format != LINK_FORMAT:
        raise DocumentError(f"unknown link format {link_format[:10]!r}")
    if not BASE64URL.match(data) or len(data) % 4 == 1:
        raise DocumentError("the link is damaged (not base64url)")
    try:
        packed = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        raise DocumentError("the link is damaged (not base64url)") from None
    inflater = zlib.decompressobj(zdict=LINK_DICTIONARY)
    try:
        # max_length caps the output: a zip bomb stops after MAX_JSON_BYTES.
        raw = inflater.decompress(packed, MAX_JSON_BYTES)
    except zlib.error:
        raise DocumentError("the link is damaged (bad compression)") from None
    if inflater.unconsumed_tail:
        raise DocumentError("the link unpacks to more than a document may hold")
    if not inflater.eof:
        raise DocumentError("the link is incomplete (was it cut off?)")
    if inflater.unused_data:
        raise DocumentError("the link has extra data after the document")
    return from_json(raw)


def parse_fragment(fragment):
    """Split '#d=...&view=graph&hide=header,controls&chrome=minimal' into its parts.

    Returns (payload or None, options) where options is
    {"view": str or None, "hide": set, "minimal": bool}. Unknown keys are ignored
    (they may come from a newer page); known keys with bad values are refused.
    """
    fragment = fragment.lstrip("#")
    if len(fragment) > MAX_LINK_CHARS + 200:
        raise DocumentError("the link is too long")
    payload, options = None, {"view": None, "hide": set(), "minimal": False}
    for part in fragment.split("&"):
        key, _, value = part.partition("=")
        if key == LINK_KEY:
            payload = value
        elif key == "view":
            options["view"] = _choice(value, "view", VIEWS)
        elif key == "hide":
            options["hide"] = {_choice(h, "hide", HIDEABLE) for h in value.split(",") if h}
        elif key == "chrome":
            options["minimal"] = _choice(value, "chrome", ("minimal", "full")) == "minimal"
    return payload, options


def make_fragment(doc=None, view=None, hide=(), minimal=False):
    """The fragment (with '#') for a document and embedding options."""
    parts = []
    if doc is not None:
        parts.append(f"{LINK_KEY}={encode_payload(doc)}")
    if view:
        parts.append(f"view={_choice(view, 'view', VIEWS)}")
    hide = [h for h in HIDEABLE if h in set(hide)]
    if hide:
        parts.append("hide=" + ",".join(hide))
    if minimal:
        parts.append("chrome=minimal")
    return "#" + "&".join(parts) if parts else ""


def read_fragment(fragment):
    """Everything a page needs from its location.hash.

    Returns (document or None, options, error message or None). On any problem the
    document is None, the message says what was wrong and the page opens its defaults.
    """
    try:
        payload, options = parse_fragment(fragment or "")
    except DocumentError as error:
        return None, {"view": None, "hide": set(), "minimal": False}, str(error)
    if payload is None:
        return None, options, None
    try:
        return decode_payload(payload), options, None
    except DocumentError as error:
        return None, options, str(error)


# ---------------------------------------------------------------------------
# The views' param state <-> the document.

def graph_section(state):
    """The graph section for a GraphState (playground/graph/state.py)."""
    return check_graph({"program": state.program, "values": dict(state.values), "step": state.step})


def apply_graph(section, state):
    """Set a GraphState from a checked graph section. The graph view's parser reads the program;
    a program it refuses raises DocumentError with the parser's message."""
    state.error = ""
    state.param.update(program=section["program"], values=dict(section["values"]), step=section["step"])
    if state.error:
        raise DocumentError(f"the graph program was refused: {state.error}")

SETTINGS_KEYS = tuple(k for k in TRAINING_KEYS if k not in ("step", "weights"))


def training_section(settings, step=0, weights=None):
    """The training section for a TrainingSettings object (and how far its run went)."""
    section = {name: _plain(getattr(settings, name)) for name in SETTINGS_KEYS}
    section["step"] = step
    section["weights"] = None if weights is None else [float(w) for w in weights]
    return check_training(section)


def apply_training(section, settings):
    """Set a TrainingSettings object from a checked training section, all at once."""
    settings.param.update(**{name: _plain(section[name]) for name in SETTINGS_KEYS})


# A link without weights replays its steps when opened (same seed, same trajectory, as long as
# the settings did not change during the run). Replaying blocks the page, so it is capped, and a
# longer run always travels with its weights.
REPLAY_LIMIT = 500


def apply_run(section, view):
    """Bring the training view's run to the shared point: a fresh run from the settings, then
    the shared weights, or the same steps again (same seed, same trajectory)."""
    steps, weights = section["step"], section["weights"]
    if weights is None and steps > REPLAY_LIMIT:
        raise DocumentError(f"the link asks to replay {steps} training steps without weights "
                            f"(at most {REPLAY_LIMIT})")
    run = view.run
    if weights is None and steps == 0:
        if run.step_count:   # changed settings already gave a fresh run; unchanged ones may not have
            view.reset()
        return
    view.reset()
    if weights is not None:
        if not run.has_model or len(weights) != len(run.model.get_weights()):
            raise DocumentError("the weights do not fit the network of the settings")
        run.model.set_weights(weights)
        run.step_count = steps
        run._record()            # the metrics of the restored weights, for the status and curves
    elif steps:
        run.train(max_steps=steps)
    view._show_run(network=True)


def _plain(value):
    """A deep copy made of lists, so a document never shares a list with a view."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def default_document(graph_state, settings, view="graph", title="", step=0, weights=None):
    """A whole document from the two views' states (fresh ones give the page's defaults)."""
    return check_document({
        "version": SCHEMA_VERSION, "view": view, "title": title,
        "graph": graph_section(graph_state),
        "training": training_section(settings, step, weights),
    })


def document_from_views(graph_state, training_view, view="graph", include_weights=False):
    """The whole state of the page. A run longer than REPLAY_LIMIT steps always carries its weights.
    training_view None: that view was never opened, so its part is the default one."""
    if training_view is None:
        return default_document(graph_state, TrainingSettings(), view=view)
    run = training_view.run
    step = run.step_count
    weights = None
    if run.has_model and (include_weights or step > REPLAY_LIMIT):
        weights = [float(w) for w in run.model.get_weights()]
    return default_document(graph_state, training_view.settings, view=view, step=step, weights=weights)


def restore_views(doc, graph_state, training_view):
    """Put a checked document into the views; raises DocumentError when a view refuses part of it.
    training_view None: that view was never opened and the document's training part is left out
    (the caller opens the view first when that part differs from the default)."""
    apply_graph(doc["graph"], graph_state)
    if training_view is None:
        return
    apply_training(doc["training"], training_view.settings)
    # The view's text box for the layers does not follow the settings by itself.
    training_view.hidden_text.value = ", ".join(map(str, doc["training"]["hidden_layers"]))
    apply_run(doc["training"], training_view)
