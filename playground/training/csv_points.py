"""Points in and out as CSV text: read a student's file into the training view's points, write them back out.

Pure (no Panel, no numpy): the training view's import box and tests call it alike.

The file: one point a line, `x1,x2,label`, an optional header line, an optional fourth column `split`
(train/test, as written by format_csv; an import re-splits by the training share and seed, so it is
only checked). Labels: any two distinct values; the smaller one (numbers by value, else as text) is class
-1 (orange), the other +1 (blue), so -1/+1 and 0/1 keep their usual meaning.

Scaling: points whose coordinates all lie within +-KEEP_WITHIN are kept as they are (the playground's own
exports, data already prepared); otherwise each column is mapped linearly onto -1..1 (its smallest value
to -1, its largest to +1; a constant column to 0), because the network's weights start in -1..1 and a
column in thousands would saturate or explode it. The note returned says which happened.

Anything wrong is refused whole (CSVError naming the first bad line and what is wrong), so a bad file
changes nothing.
"""
import csv
import io
import math

from playground.bounds import Refused

from .state import MAX_IMPORTED as MAX_POINTS   # points in one import: the document's limit on imported points
MAX_BYTES = 200 * 1024           # a 2,000-line file of long numbers is ~100 KB
KEEP_WITHIN = 5.0                # coordinates this small are kept, larger ones scaled onto -1..1
MAX_MAGNITUDE = 1e15             # larger numbers would overflow the scaling (and are no one's data)
DIGITS = 6                       # significant digits written, and kept after scaling
COLUMNS = ("x1", "x2", "label")
SPLITS = ("train", "test")


class CSVError(Refused):
    """A file or text that cannot be imported; the message names the first bad line."""


def _number(text):
    """The float a field holds, or None when it is not a number at all ('nan' and 'inf' are numbers here:
    the caller says they are not finite)."""
    try:
        return float(text)
    except ValueError:
        return None


def _decode(data):
    if isinstance(data, (bytes, bytearray)):
        if len(data) > MAX_BYTES:
            raise CSVError(f"the file is {len(data) / 1024:.0f} KB; at most {MAX_BYTES // 1024} KB can be imported")
        try:
            return bytes(data).decode("utf-8-sig")     # a BOM (Excel's UTF-8 export) is not part of the data
        except UnicodeDecodeError as error:
            line = bytes(data)[:error.start].count(b"\n") + 1
            raise CSVError(f"line {line}: the file is not UTF-8 text") from None
    if len(data) > MAX_BYTES:
        raise CSVError(f"the text is longer than {MAX_BYTES // 1024} KB")
    return data.lstrip("\ufeff")


def _rows(text):
    """(line number, fields) of every non-blank line; a header line is left out."""
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    line = 1
    try:
        for fields in reader:
            fields = [f.strip() for f in fields]
            if any(fields):
                rows.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as error:
        raise CSVError(f"line {reader.line_num}: {error}") from None
    if rows and len(rows[0][1]) >= 2 and (_number(rows[0][1][0]) is None or _number(rows[0][1][1]) is None):
        line, fields = rows.pop(0)          # not numbers on the first line: a header
        if len(fields) not in (3, 4):
            raise CSVError(f"line {line}: the header has {len(fields)} columns; expected x1,x2,label")
    return rows


def _class_key(label):
    value = _number(label)
    return (0, value, label) if value is not None and math.isfinite(value) else (1, 0.0, label)


def parse_csv(data):
    """Read CSV bytes or text. Returns (points, note): points as [[x1, x2, label]] with label -1 or +1 in
    the playground's coordinates, note a sentence saying how labels and coordinates were read.
    Raises CSVError on the first problem."""
    text = _decode(data)
    rows = _rows(text)
    if not rows:
        raise CSVError("there are no points after the header line" if text.strip() else
                       "the file is empty: there are no points in it")
    raw, labels = [], {}
    for count, (line, fields) in enumerate(rows, start=1):
        if count > MAX_POINTS:
            raise CSVError(f"line {line}: too many rows; at most {MAX_POINTS:,} points can be imported")
        if len(fields) not in (3, 4):
            raise CSVError(f"line {line}: {len(fields)} columns; expected 3 (x1,x2,label) or 4 (and split)")
        xy = []
        for name, text in zip(COLUMNS[:2], fields):
            value = _number(text)
            if value is None:
                raise CSVError(f"line {line}: {name} is {text[:20]!r}, not a number")
            if not math.isfinite(value):
                raise CSVError(f"line {line}: {name} is {text[:20]!r}, not a finite number")
            if abs(value) > MAX_MAGNITUDE:
                raise CSVError(f"line {line}: {name} is {text[:20]!r}, larger than {MAX_MAGNITUDE:g}")
            xy.append(value)
        label = fields[2]
        if not label:
            raise CSVError(f"line {line}: the label is empty")
        if _number(label) is not None:
            label = f"{_number(label):g}"    # "1", "1.0" and "+1" are one class
        if label not in labels:
            if len(labels) == 2:
                first, second = sorted(labels, key=_class_key)
                raise CSVError(f"line {line}: a third label {label[:20]!r} (the first two were "
                               f"{first[:20]!r} and {second[:20]!r}); a data set has two classes")
            labels[label] = line
        if len(fields) == 4 and fields[3].lower() not in SPLITS:
            raise CSVError(f"line {line}: split is {fields[3][:20]!r}; expected train or test")
        raw.append((xy[0], xy[1], label))
    if len(labels) < 2:
        raise CSVError(f"every point has the label {next(iter(labels))[:20]!r}: a classifier needs two classes")
    orange, blue = sorted(labels, key=_class_key)
    classes = {orange: -1, blue: 1}
    points, scaling = _scaled([(x1, x2) for x1, x2, _ in raw])
    points = [[x1, x2, classes[label]] for (x1, x2), (_, _, label) in zip(points, raw)]
    note = (f"Imported {len(points):,} points: {orange[:20]!r} as orange (-1), {blue[:20]!r} as blue (+1); "
            f"{scaling}.")
    return points, note


def _scaled(xy):
    """The points in the playground's coordinates, and a phrase saying how they were mapped."""
    if all(abs(v) <= KEEP_WITHIN for point in xy for v in point):
        return [[x1, x2] for x1, x2 in xy], f"coordinates kept as they are (all within ±{KEEP_WITHIN:g})"
    columns, phrases = [], []
    for name, values in zip(("x1", "x2"), zip(*xy)):
        low, high = min(values), max(values)
        if high > low:
            columns.append([_round(2 * (v - low) / (high - low) - 1) for v in values])
        else:
            columns.append([0.0] * len(values))
        phrases.append(f"{name} {low:g}..{high:g}")
    return ([list(p) for p in zip(*columns)],
            f"each column scaled onto -1..1 ({', '.join(phrases)} became -1..1)")


def _round(value):
    return float(f"{value:.{DIGITS}g}")


def format_csv(points, labels, is_train):
    """CSV text of points (x1, x2 pairs), their labels (-1/+1) and split (True: train), with a header."""
    lines = ["x1,x2,label,split"]
    for (x1, x2), label, train in zip(points, labels, is_train):
        lines.append(f"{float(x1):.{DIGITS}g},{float(x2):.{DIGITS}g},{int(label):d},{'train' if train else 'test'}")
    return "\n".join(lines) + "\n"
