"""A tour: a short list of lessons, each a paragraph of text and a share link (a saved document).

The format (JSON), which a teacher can write by hand (docs/teachers-guide.md):

    {
      "title": "micrograd, step by step",
      "lessons": [
        {"title": "A Value", "text": "Each box is one Value ...", "link": "https://.../app.html#d=1.eJyr...",
         "show": "code"},
        ...
      ]
    }

  title   plain text, at most MAX_TITLE characters
  text    plain text, at most MAX_TEXT characters; a blank line starts a new paragraph and `backticks` mark
          code. It is always shown escaped: never HTML.
  link    a share link of the playground (the whole address or just its "#d=..." part); it opens the saved
          document. Optional: a lesson without one keeps what is on screen.
  show    optional, which lesson tool opens beside it: one of SHOWS (default "graph": no tool, the graph view;
          "training": the training view).
  task    optional: makes the lesson an exercise. Plain text (like `text`), at most MAX_TEXT characters.
  check   with a task: the condition on the live document that solves it (playground/lesson/checks.py: data,
          never code); a bad condition is refused like any bad field.
  hint    optional, with a task: plain text the student may ask for.

A tour travels in a link of its own: `#tour=1.<base64url of the zlib-packed JSON>&lesson=3` opens lesson 3
(1-based); `&single=1` shows that lesson alone, without Next/Back (to embed one lesson). `#tour=micrograd`
names the built-in tour (playground/lesson/lessons.py), `#tour=exercises` the built-in exercises
(playground/lesson/exercises.py). Everything read from a link is checked here and
refused with a message; nothing is ever evaluated.
"""
import base64
import html
import json
import re
import zlib

from playground import document

from .checks import CheckError, check_condition

SHOWS = ("graph", "code", "topo", "break", "nudge", "training-step", "training")
FORMAT = "1"                 # how a tour link packs its JSON: zlib -> base64url
MAX_LESSONS = 40
MAX_TITLE = 100
MAX_TEXT = 3000
MAX_LINK_CHARS = 200_000     # the tour's packed text in the address
MAX_JSON_BYTES = 512 * 1024  # the JSON after unpacking (a zip bomb stops here)
BUILTIN = "micrograd"
BUILTINS = (BUILTIN, "exercises")   # the built-in tours' names (playground/lesson/lessons.py, exercises.py)
BASE64URL = re.compile(r"[A-Za-z0-9_-]*\Z")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class TourError(ValueError):
    """A tour (or a tour link) that cannot be opened; the message says why, for the user."""


def _text(value, where, limit, multiline=False):
    if not isinstance(value, str):
        raise TourError(f"{where} must be text")
    if len(value) > limit:
        raise TourError(f"{where} is longer than {limit} characters")
    if CONTROL.search(value) or (not multiline and "\n" in value):
        raise TourError(f"{where} contains control characters")
    return value


def link_fragment(link):
    """The '#d=...' part of a share link (the whole address or only its fragment)."""
    return "#" + link.partition("#")[2] if "#" in link else ""


def check_tour(tour):
    """A tour as plain data, every field checked; raises TourError."""
    if not isinstance(tour, dict) or set(tour) - {"title", "lessons"} or "lessons" not in tour:
        raise TourError('a tour is {"title": ..., "lessons": [...]}')
    lessons = tour["lessons"]
    if not isinstance(lessons, list) or not 1 <= len(lessons) <= MAX_LESSONS:
        raise TourError(f"a tour has 1 to {MAX_LESSONS} lessons")
    checked = []
    for i, lesson in enumerate(lessons, 1):
        where = f"lesson {i}"
        if not isinstance(lesson, dict) or set(lesson) - {"title", "text", "link", "show", *EXERCISE}:
            raise TourError(f'{where} must be {{"title", "text", "link", "show", "task", "check", "hint"}}')
        link = _text(lesson.get("link", ""), f"{where}'s link", document.MAX_LINK_CHARS + 2000)
        if link:
            _, _, error = document.read_fragment(link_fragment(link))
            if error or not link_fragment(link):
                raise TourError(f"{where}'s link is not a playground share link ({error or 'no #d=...'})")
        show = lesson.get("show", "graph")
        if show not in SHOWS:
            raise TourError(f"{where}'s show must be one of {', '.join(SHOWS)}")
        checked.append({"title": _text(lesson.get("title", ""), f"{where}'s title", MAX_TITLE),
                        "text": _text(lesson.get("text", ""), f"{where}'s text", MAX_TEXT, multiline=True),
                        "link": link, "show": show, **_exercise(lesson, where)})
    return {"title": _text(tour.get("title", ""), "the tour's title", MAX_TITLE), "lessons": checked}


EXERCISE = ("task", "check", "hint")


def _exercise(lesson, where):
    """A lesson's task, check and hint (all or none of task and check), checked; {} for a lesson without."""
    if not set(lesson) & set(EXERCISE):
        return {}
    if "task" not in lesson or "check" not in lesson:
        raise TourError(f"{where} is an exercise: it needs both a task and a check")
    try:
        check = check_condition(lesson["check"], f"{where}'s check")
    except CheckError as error:
        raise TourError(str(error)) from None
    return {"task": _text(lesson["task"], f"{where}'s task", MAX_TEXT, multiline=True), "check": check,
            "hint": _text(lesson.get("hint", ""), f"{where}'s hint", MAX_TEXT, multiline=True)}


def tour_from_json(text):
    try:
        return check_tour(json.loads(text))
    except (ValueError, RecursionError) as error:
        if isinstance(error, TourError):
            raise
        raise TourError("the tour is not valid JSON") from None


def pack(tour):
    """The tour as the value of `tour=` in a link."""
    packed = zlib.compress(json.dumps(check_tour(tour), separators=(",", ":")).encode("utf-8"), 9)
    return FORMAT + "." + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def unpack(value):
    """The inverse of pack, refusing anything malformed or oversized."""
    if len(value) > MAX_LINK_CHARS:
        raise TourError("the tour link is too long")
    version, dot, data = value.partition(".")
    if not dot or version != FORMAT:
        raise TourError("unknown tour link format")
    if not BASE64URL.match(data) or len(data) % 4 == 1:
        raise TourError("the tour link is damaged (not base64url)")
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)), MAX_JSON_BYTES)
    except zlib.error:
        raise TourError("the tour link is damaged (bad compression)") from None
    if inflater.unconsumed_tail or not inflater.eof or inflater.unused_data:
        raise TourError("the tour link is damaged or too big")
    try:
        return tour_from_json(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise TourError("the tour link is damaged (not UTF-8)") from None


def tour_link(tour=None, lesson=1, single=False, name=None):
    """The fragment that opens a tour (None: the built-in one, or the one whose `tour=` value is `name`)
    at a lesson (1-based)."""
    name = name or (BUILTIN if tour is None else pack(tour))
    parts = [f"tour={name}", f"lesson={int(lesson)}"]
    return "#" + "&".join(parts + (["single=1"] if single else []))


def _keys(fragment):
    return dict(part.partition("=")[::2] for part in fragment.lstrip("#").split("&") if part)


def tour_name(fragment):
    """The `tour=` value of a fragment ('micrograd' or a packed tour), '' when it names none."""
    return _keys(fragment).get("tour", "")


def read_tour_fragment(fragment, builtin):
    """(tour, lesson index 0-based, single) from a location.hash, or None when it names no tour.
    `builtin(name)` gives a built-in tour (BUILTINS). Raises TourError for a tour link that cannot be opened."""
    keys = _keys(fragment)
    if "tour" not in keys:
        return None
    tour = builtin(keys["tour"]) if keys["tour"] in BUILTINS else unpack(keys["tour"])
    lesson = keys.get("lesson", "1")
    if not lesson.isdigit() or not 1 <= int(lesson) <= len(tour["lessons"]):
        raise TourError(f"the tour has no lesson {lesson[:10]!r} (it has {len(tour['lessons'])})")
    return tour, int(lesson) - 1, keys.get("single") == "1"


def text_html(text):
    """A lesson's text as safe HTML: escaped, paragraphs at blank lines, `code` in backticks."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    out = []
    for p in paragraphs:
        escaped = html.escape(p)
        out.append("<p>" + re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped) + "</p>")
    return "".join(out)
