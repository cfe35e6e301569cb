"""The shareable document: one versioned dict that holds the whole playground state.

This module is pure (no Panel, no views): it only
  1. validates a document: every bound comes from the param declaration that holds the value
     (TrainingSettings, GraphState and DocumentFields below; the checks are playground/bounds.py),
     so what the widgets accept and what a link may carry cannot drift apart,
  2. encodes and decodes it: JSON (download/upload) and the URL fragment
     (JSON -> zlib -> base64url, behind a format prefix).
The live document, which the views and the share tools bind to, is playground/live_document.py.

Nothing read from a link or a file is ever executed: the graph program stays a string here and
only the graph view's own safe parser reads it later. Nothing here recurses on input: JSON
nesting is measured before the JSON reader (which recurses) may see it.
"""
import base64
import copy
import binascii
import json
import math
import re
import zlib

import param

from engine.link import LINK_DICTIONARY, LINK_FORMAT, LINK_KEY, MAX_LINK_CHARS, pack_payload
from . import bounds
from .bounds import Refused as DocumentError   # a link or file that cannot be read; the message is for the user
from .graph import language
from .graph.state import GraphState
from .training.state import BIG, TrainingSettings

SCHEMA_VERSION = 1          # the schema a document is written with today
# The fragment's fixed parts (#d=1.<base64url(zlib(json))>) are shared with the engine's notebook links:
# LINK_FORMAT, LINK_KEY, LINK_DICTIONARY, MAX_LINK_CHARS and pack_payload come from engine/link.py.

# Hard limits: a link or a file bigger than these is refused before any real work.
MAX_JSON_BYTES = 256 * 1024  # the JSON after decompression (zip bombs stop here)
MAX_DEPTH = 6                # JSON nesting: the deepest a document goes is 4 (training.added_points[i][j])
MAX_PROGRAM_CHARS = language.MAX_CHARS   # the graph language's own limits: a training point's graph is long
MAX_LEAVES = language.MAX_NODES
MAX_WEIGHTS = 20_000
MAX_STEPS = 1_000_000

VIEWS = ("graph", "training")
HIDEABLE = ("header", "controls", "editor", "curves")


class DocumentFields(param.Parameterized):
    """The fields of a document besides the two views' states, declared once: the live document
    (playground/live_document.py) is one of these, and check_document() reads these bounds."""

    version = param.Integer(default=SCHEMA_VERSION, bounds=(SCHEMA_VERSION, SCHEMA_VERSION), constant=True)
    view = param.Selector(default="graph", objects=list(VIEWS), doc="The view the page opens on.")
    title = param.String(default="", doc="Plain text, shown as text.")
    training_step = param.Integer(default=0, bounds=(0, MAX_STEPS), doc="How far the training run went.")
    progress = param.List(default=[], doc="The exercises solved (playground/lesson/progress.py): what a "
                                          "student hands in.")

    RULES = {"title": (100, None), "progress": (200, lambda item, where: check_solved(item, where))}


MAX_TITLE_CHARS = DocumentFields.RULES["title"][0]


# ---------------------------------------------------------------------------
# Validation helpers: each checks one value and names the field when it fails.

def _object(value, where, keys):
    """A JSON object with exactly these keys (no unknown ones: the version decides the shape)."""
    if not isinstance(value, dict):
        raise DocumentError(f"{where} must be an object")
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise DocumentError(f"{where} has unknown field {str(unknown[0])[:40]!r}")
    missing = [k for k in keys if k not in value]
    if missing:
        raise DocumentError(f"{where} is missing {missing[0]!r}")
    return value


# ---------------------------------------------------------------------------
# The schema, version 1.

IDENTIFIER = language.NAME       # a leaf's name
BIG_LEAF = language.MAX_LEAF     # a leaf may be larger than other numbers: students try big ones on purpose

GRAPH_KEYS = ("program", "values", "step", "predict")
# Fields added to schema 1 later, with the value their absence means (see OPTIONAL_TRAINING below).
OPTIONAL_GRAPH = {"predict": False}
SOLVED_KEYS = ("tour", "exercise", "at", "first_try")
WHEN = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC\Z")
# The training section is TrainingSettings' parameters (in this order), plus how far the run
# went ("step") and, optionally, the trained weights.
TRAINING_KEYS = ("dataset", "noise", "n_points", "seed", "train_fraction", "added_points",
                 "removed_points", "hidden_layers", "activation", "loss", "optimizer",
                 "learning_rate", "decay", "l2", "batch_size", "step", "weights", "imported_points")
# Fields added to schema 1 later, with the value their absence means. An empty one is left out of a document,
# so every document without one is written (and linked) byte for byte as before; a page older than the field
# refuses a document that has it ("unknown field"), as it would refuse a newer schema version.
OPTIONAL_TRAINING = {"imported_points": []}
# The same for the document itself: "progress" is the exercises solved (playground/lesson/progress.py),
# "written_by" is the version of the project that wrote it (playground/version.py);
# the page writes it into every document, reads it from none (it changes nothing a link opens to).
OPTIONAL_DOCUMENT = {"progress": [], "written_by": None}
DOCUMENT_KEYS = ("version", "view", "title", "graph", "training", *OPTIONAL_DOCUMENT)
WRITTEN_BY = re.compile(r"[0-9][0-9A-Za-z.+!-]{0,39}")   # a version as pyproject.toml writes one: 0.1.0, 0.2.0rc1
SETTINGS_KEYS = tuple(k for k in TRAINING_KEYS if k not in ("step", "weights"))
DATASETS, ACTIVATIONS, LOSSES, OPTIMIZERS = (
    tuple(bounds.choices(TrainingSettings.param[name])) for name in ("dataset", "activation", "loss", "optimizer"))


def _without_absent(clean, optional):
    """Leave out the optional fields that hold the value their absence means: a document without them is
    written (and linked) byte for byte as before they existed."""
    for name, absent in optional.items():
        if clean[name] == absent:
            del clean[name]
    return clean


def check_solved(item, where):
    """One solved exercise of `progress`: which tour and exercise, when (UTC, to the minute), and whether it
    was solved before its hint was shown."""
    item = _object(item, where, SOLVED_KEYS)
    when = bounds.text(item["at"], f"{where}.at", 20)
    if not WHEN.match(when):
        raise DocumentError(f"{where}.at must be a time like 2026-12-04 18:05 UTC")
    if not isinstance(item["first_try"], bool):
        raise DocumentError(f"{where}.first_try must be true or false")
    return {"tour": bounds.text(item["tour"], f"{where}.tour", 100),
            "exercise": bounds.text(item["exercise"], f"{where}.exercise", 100),
            "at": when, "first_try": item["first_try"]}


def check_graph(graph):
    if isinstance(graph, dict):
        graph = {**OPTIONAL_GRAPH, **graph}
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
        clean_values[name] = bounds.number(value, f"graph.values.{name}", -BIG_LEAF, BIG_LEAF)
    return _without_absent({
        "program": bounds.text(graph["program"], "graph.program", MAX_PROGRAM_CHARS),
        "values": clean_values,
        "step": bounds.check_param(GraphState, "step", graph["step"], "graph.step"),
        "predict": bounds.check_param(GraphState, "predict", graph["predict"], "graph.predict"),
    }, OPTIONAL_GRAPH)


def check_training(training):
    if isinstance(training, dict):
        training = {**OPTIONAL_TRAINING, **training}
    t = _object(training, "training", TRAINING_KEYS)
    clean = {name: bounds.check_param(TrainingSettings, name, t[name], f"training.{name}")
             for name in SETTINGS_KEYS}
    _without_absent(clean, OPTIONAL_TRAINING)
    clean["step"] = bounds.check_param(DocumentFields, "training_step", t["step"], "training.step")
    weights = t["weights"]
    if weights is not None:
        weights = [bounds.number(w, "training.weights", -BIG, BIG)
                   for w in bounds.items(weights, "training.weights", MAX_WEIGHTS)]
    clean["weights"] = weights
    return clean


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
    doc = _object({**OPTIONAL_DOCUMENT, **doc}, "document", DOCUMENT_KEYS)
    written_by = doc["written_by"]
    if written_by is not None and (not isinstance(written_by, str) or not WRITTEN_BY.fullmatch(written_by)):
        raise DocumentError("written_by must be a version number such as 0.1.0")
    return _without_absent({
        "version": SCHEMA_VERSION,
        "view": bounds.check_param(DocumentFields, "view", doc["view"]),
        "title": bounds.check_param(DocumentFields, "title", doc["title"]),
        "graph": check_graph(doc["graph"]),
        "training": check_training(doc["training"]),
        "progress": bounds.check_param(DocumentFields, "progress", doc["progress"]),
        "written_by": written_by,
    }, OPTIONAL_DOCUMENT)


# ---------------------------------------------------------------------------
# JSON: the form of a downloaded file and the inside of a link.

def _refuse_constant(name):
    raise DocumentError(f"{name} is not a number a document may hold")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise DocumentError("a number in the document is too large")
    return value


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')   # a JSON string, escapes included
_BRACKETS = re.compile(r"[^\[\]{}]+")


def check_nesting(text):
    """Refuse JSON nested deeper than a document can be, without recursion: the JSON reader recurses
    once per level, and in the browser's small stack 10,000 levels were a fatal error, not a
    RecursionError. Strings are taken out first (a '[' inside one does not nest)."""
    depth = 0
    for bracket in _BRACKETS.sub("", _STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            raise DocumentError("the document is nested deeper than a playground document can be")


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
    check_nesting(text)
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

# The fixed dictionary format 1 compresses against lives with the format in engine/link.py (LINK_DICTIONARY).


def encode_payload(doc):
    return pack_payload(to_json(doc))


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
    {"view": str or None, "hide": set, "minimal": bool, "device": bool}. Unknown keys are ignored
    (they may come from a newer page); known keys with bad values are refused. `from=device` marks a
    document the page took from the device (sitebuild/templates/early_worker.html); no link carries it.
    """
    fragment = fragment.lstrip("#")
    if len(fragment) > MAX_LINK_CHARS + 200:
        raise DocumentError("the link is too long")
    payload, options = None, no_options()
    for part in fragment.split("&"):
        key, _, value = part.partition("=")
        if key == LINK_KEY:
            payload = value
        elif key == "view":
            options["view"] = bounds.choice(value, "view", VIEWS)
        elif key == "hide":
            options["hide"] = {bounds.choice(h, "hide", HIDEABLE) for h in value.split(",") if h}
        elif key == "chrome":
            options["minimal"] = bounds.choice(value, "chrome", ("minimal", "full")) == "minimal"
        elif key == "from":
            options["device"] = value == "device"
    return payload, options


def no_options():
    return {"view": None, "hide": set(), "minimal": False, "device": False}


def make_fragment(doc=None, view=None, hide=(), minimal=False):
    """The fragment (with '#') for a document and embedding options."""
    parts = []
    if doc is not None:
        parts.append(f"{LINK_KEY}={encode_payload(doc)}")
    if view:
        parts.append(f"view={bounds.choice(view, 'view', VIEWS)}")
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
        return None, dict(no_options(), device="from=device" in (fragment or "")), str(error)
    if payload is None:
        return None, options, None
    try:
        return decode_payload(payload), options, None
    except DocumentError as error:
        return None, options, str(error)


# ---------------------------------------------------------------------------
# A document as a link that fits.

# A link without weights replays its steps when opened (same seed, same trajectory, as long as
# the settings did not change during the run). Replaying blocks the page, so it is capped, and a
# longer run always travels with its weights.
REPLAY_LIMIT = 500
NO_OPTIONS = {"view": None, "hide": set(), "minimal": False}   # no embedding options


def fitting_fragment(doc, options=NO_OPTIONS):
    """(fragment, note): `doc` as a link fragment (with embedding options). Weights that would make it longer
    than a link may be are left out (a run past REPLAY_LIMIT then opens untrained), and the note says so."""
    doc = copy.deepcopy(doc)
    fragment = make_fragment(doc, options["view"], options["hide"], options["minimal"])
    if len(fragment) <= MAX_LINK_CHARS or doc["training"]["weights"] is None:
        return fragment, ""
    doc["training"]["weights"] = None
    if doc["training"]["step"] > REPLAY_LIMIT:
        doc["training"]["step"] = 0
        note = "The trained weights do not fit in a link: it opens the network untrained."
    else:
        note = "The trained weights do not fit in a link: it replays the training steps instead."
    return make_fragment(doc, options["view"], options["hide"], options["minimal"]), note
